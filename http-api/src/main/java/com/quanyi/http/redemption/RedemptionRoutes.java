package com.quanyi.http.redemption;

import com.quanyi.http.ApiDirectives;
import com.quanyi.http.ApiJson;
import com.quanyi.http.Problem;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.redemption.RedemptionService.Attempt;
import com.quanyi.protocol.Money;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/v1/redemptions} and {@code POST /api/v1/redemptions/check}, signed by a verifier
 * (API.md, "Redemption"). Codes travel only in bodies, never in a URL, and answers mask them.
 */
public final class RedemptionRoutes extends ApiDirectives {

  static final int MAX_CODE = 256;
  static final int MAX_PLACE = 200;

  /** Body of a redemption: the code, where it is used (optional), how much of a value card (optional). */
  public record RedemptionBody(String code, String place, Money amount) {}

  /** Body of a check: the code only. */
  public record CheckBody(String code) {}

  private final RedemptionService redemptions;

  public RedemptionRoutes(RedemptionService redemptions) {
    this.redemptions = redemptions;
  }

  /** Built once; {@code signed} authenticates the verifier. */
  public Route route(Function<Function<String, Route>, Route> signed) {
    Route redeem = signed.apply(verifierId -> extractRequest(request -> jsonBody(RedemptionBody.class, body ->
        onReply(redemptions.redeem(attempt(verifierId, request, body.code(), body.place(), body.amount())),
            RedemptionRoutes::respond))));
    Route check = signed.apply(verifierId -> extractRequest(request -> jsonBody(CheckBody.class, body ->
        onReply(redemptions.check(attempt(verifierId, request, body.code(), null, null)),
            RedemptionRoutes::respond))));
    Route postRedeem = post(() -> redeem);
    Route postCheck = post(() -> check);
    Route both = concat(pathEndOrSingleSlash(() -> postRedeem), path("check", () -> postCheck));
    return pathPrefix("redemptions", () -> both);
  }

  private static Attempt attempt(String verifierId, HttpRequest request, String code, String place, Money amount) {
    if (code == null || code.isBlank() || code.length() > MAX_CODE || code.chars().anyMatch(Character::isISOControl)) {
      throw new ApiJson.InvalidRequest("code is required: 1-" + MAX_CODE + " characters without control characters");
    }
    if (place != null && (place.isBlank() || place.length() > MAX_PLACE
        || place.chars().anyMatch(Character::isISOControl))) {
      throw new ApiJson.InvalidRequest("place is 1-" + MAX_PLACE + " characters without control characters");
    }
    if (amount != null && amount.amount() < 1) {
      throw new ApiJson.InvalidRequest("amount must be at least 1 minor unit");
    }
    // The connection's own address: a forwarded-for header is the caller's to make up.
    String ip = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress).map(InetAddress::getHostAddress).orElse("unknown");
    return new Attempt(verifierId, ip, code, place, amount);
  }

  static HttpResponse respond(RedemptionService.Outcome outcome) {
    if (outcome instanceof RedemptionService.Redeemed redeemed) {
      return json(ok(), redeemed.redemption());
    }
    if (outcome instanceof RedemptionService.Checked checked) {
      return json(ok(), checked.check());
    }
    if (outcome instanceof RedemptionService.AlreadyRedeemed already) {
      Problem problem = Problem.of(ProblemCode.ALREADY_REDEEMED, "the code " + already.code() + " was redeemed already");
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("type", problem.type());
      body.put("title", problem.title());
      body.put("status", problem.status());
      body.put("detail", problem.detail());
      body.put("code", problem.code());
      body.put("redeemedAt", already.redeemedAt());
      if (already.place() != null) {
        body.put("place", already.place());
      }
      return HttpResponse.create().withStatus(problem.status()).withEntity(PROBLEM_JSON, ApiJson.write(body));
    }
    RedemptionService.Refused refused = (RedemptionService.Refused) outcome;
    HttpResponse response = problem(refused.code(), refused.detail());
    return refused.retryAfterSeconds() > 0
        ? response.removeHeader("Retry-After").addHeader(RetryAfter.create(refused.retryAfterSeconds()))
        : response;
  }
}
