package com.quanyi.http.channel;

import com.quanyi.http.ApiDirectives;
import com.quanyi.http.ProblemCode;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Routes only a signed caller reaches (API.md, "Partner API": the same headers and canonical string
 * for channels and verifiers): the headers checked, then the signature over the exact method, path,
 * query and body bytes and the nonce, by whoever owns the key. A refused request changes nothing and
 * says only why it was refused.
 */
public final class SignedRoutes extends ApiDirectives {

  /** Who signed it: the caller's id, or why not (the key's owner checks the signature and the nonce). */
  @FunctionalInterface
  public interface Authenticator {
    CompletionStage<ChannelService.Outcome<String>> authenticate(SignedRequest request, String canonical);
  }

  private final Authenticator authenticator;
  private final Clock clock;

  public SignedRoutes(Authenticator authenticator, Clock clock) {
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /** {@code inner} with the caller's id, once the request is authenticated. */
  public Route signed(Function<String, Route> inner) {
    // Strict, so that the body can be hashed here and parsed again by the route. One directive
    // reads what it needs from the request: each nested directive is built again per request.
    Route checked = extractRequest(request -> {
      if (!(request.entity() instanceof HttpEntity.Strict strict)) {
        return completeProblem(ProblemCode.INVALID_REQUEST, "the request body could not be read");
      }
      SignedRequest.Result parsed = SignedRequest.parse(header(request, "X-Quanyi-Key"),
          header(request, "X-Quanyi-Timestamp"), header(request, "X-Quanyi-Nonce"),
          header(request, "X-Quanyi-Signature"), clock.instant());
      if (parsed.refused()) {
        return completeProblem(ProblemCode.UNAUTHENTICATED, parsed.refusal().reason());
      }
      String pathWithQuery = request.getUri().rawQueryString()
          .map(q -> request.getUri().path() + "?" + q)
          .orElse(request.getUri().path());
      String canonical = parsed.request().canonical(request.method().value(), pathWithQuery,
          strict.getData().toArray());
      return onComplete(authenticator.authenticate(parsed.request(), canonical), result -> {
        if (result.isFailure()) {
          return completeProblem(ProblemCode.UNAVAILABLE, "could not authenticate now; retry");
        }
        if (result.get() instanceof ChannelService.Done<String> done) {
          return inner.apply(done.value());
        }
        ChannelService.Refused<String> refused = (ChannelService.Refused<String>) result.get();
        return completeProblem(refused.code(), refused.detail());
      });
    });
    return toStrictEntity(java.time.Duration.ofSeconds(10), () -> checked);
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }
}
