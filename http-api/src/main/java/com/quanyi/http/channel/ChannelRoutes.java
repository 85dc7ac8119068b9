package com.quanyi.http.channel;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /admin/v1/channels}: distributors, their deposits and their prices. */
public final class ChannelRoutes extends AdminRouteSupport {

  private final ChannelService channels;

  public ChannelRoutes(AdminAuthenticator authenticator, ChannelService channels) {
    super(authenticator);
    this.channels = channels;
  }

  public record DepositRequest(Money amount, String reference) {}

  public record PriceRequest(Money price, Integer quota) {}

  public Route route() {
    return pathPrefix("channels", () -> concat(
        pathEndOrSingleSlash(() -> post(() -> authorized(Permission.CHANNEL_WRITE, principal ->
            jsonBody(ChannelService.NewChannel.class, request -> onReply(channels.register(request, principal.name()),
                outcome -> respond(outcome, credentials -> json(created(), credentials))))))),
        pathPrefix(segment(), channelId -> {
          if (!Identifier.isValid(channelId)) {
            return completeProblem(ProblemCode.NOT_FOUND, "no such channel");
          }
          return concat(
              pathEndOrSingleSlash(() -> get(() -> authorized(Permission.READ, principal ->
                  onReply(channels.get(channelId), outcome -> respond(outcome, view -> json(ok(), view)))))),
              path("deposits", () -> post(() -> authorized(Permission.FINANCE_WRITE, principal ->
                  jsonBody(DepositRequest.class, request -> {
                    if (request.amount() == null || request.amount().amount() < 1) {
                      throw new ApiJson.InvalidRequest("amount is required and must be at least 1 minor unit");
                    }
                    if (!Identifier.isValid(request.reference())) {
                      throw new ApiJson.InvalidRequest("reference is required: 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
                    }
                    return onReply(channels.deposit(channelId, request.reference(), request.amount(), principal.name()),
                        outcome -> respond(outcome, balance -> json(ok(), Map.of("balance", balance))));
                  })))),
              pathPrefix("prices", () -> path(segment(), skuId -> put(() -> authorized(Permission.CHANNEL_WRITE,
                  principal -> jsonBody(PriceRequest.class, request -> {
                    if (!Identifier.isValid(skuId)) {
                      throw new ApiJson.InvalidRequest("skuId must be 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
                    }
                    if (request.price() == null) {
                      throw new ApiJson.InvalidRequest("price is required");
                    }
                    if (request.quota() != null && request.quota() < 0) {
                      throw new ApiJson.InvalidRequest("quota must be 0 or more");
                    }
                    return onReply(channels.setPrice(channelId, skuId, request.price(), request.quota(), principal.name()),
                        outcome -> respond(outcome, view -> json(ok(), view)));
                  }))))));
        })));
  }

  /** An outcome as a response: its value, or the problem it was refused with. */
  public static <T> HttpResponse respond(ChannelService.Outcome<T> outcome, Function<T, HttpResponse> done) {
    if (outcome instanceof ChannelService.Done<T> d) {
      return done.apply(d.value());
    }
    ChannelService.Refused<T> refused = (ChannelService.Refused<T>) outcome;
    return problem(refused.code(), refused.detail());
  }
}
