package com.quanyi.http.channel;

import com.quanyi.http.ApiDirectives;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.order.OrderRoutes;
import com.quanyi.http.order.OrderService;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * {@code /api/v1}: the partner API. Every request is authenticated by its signature before
 * anything else happens; a refused request changes nothing and says only why it was refused.
 */
public final class PartnerRoutes extends ApiDirectives {

  private final ChannelService channels;
  private final OrderRoutes orders;
  private final Clock clock;

  public PartnerRoutes(ChannelService channels, OrderService orders, Clock clock) {
    this.channels = channels;
    this.orders = new OrderRoutes(orders);
    this.clock = clock;
  }

  /** Built once (see HttpApi.route). */
  public Route route() {
    Route signedBalance = signed(channelId -> onReply(channels.balance(channelId), outcome ->
        ChannelRoutes.respond(outcome, balance -> json(ok(), Map.of("balance", balance)))));
    Route signedProducts = signed(channelId -> onReply(channels.products(channelId), outcome ->
        ChannelRoutes.respond(outcome, products -> json(ok(), Map.of("products", products)))));
    Route balance = get(() -> signedBalance);
    Route products = get(() -> signedProducts);
    return concat(path("balance", () -> balance), path("products", () -> products), orders.route(this::signed));
  }

  /** Checks headers, signature over the exact method, path, query and body bytes, and nonce. */
  Route signed(Function<String, Route> inner) {
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
      return onComplete(channels.authenticate(parsed.request(), canonical), result -> {
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
