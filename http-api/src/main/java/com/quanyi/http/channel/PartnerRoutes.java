package com.quanyi.http.channel;

import com.quanyi.http.ApiDirectives;
import com.quanyi.http.order.OrderRoutes;
import com.quanyi.http.order.OrderService;
import java.time.Clock;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1}: the partner API. Every request is authenticated by its signature before
 * anything else happens; a refused request changes nothing and says only why it was refused.
 */
public final class PartnerRoutes extends ApiDirectives {

  private final ChannelService channels;
  private final OrderRoutes orders;
  private final SignedRoutes signing;

  public PartnerRoutes(ChannelService channels, OrderService orders, Clock clock) {
    this.channels = channels;
    this.orders = new OrderRoutes(orders);
    this.signing = new SignedRoutes(channels::authenticate, clock);
  }

  /** Built once (see HttpApi.route). */
  public Route route() {
    Route signedBalance = signing.signed(channelId -> onReply(channels.balance(channelId), outcome ->
        ChannelRoutes.respond(outcome, balance -> json(ok(), Map.of("balance", balance)))));
    Route signedProducts = signing.signed(channelId -> onReply(channels.products(channelId), outcome ->
        ChannelRoutes.respond(outcome, products -> json(ok(), Map.of("products", products)))));
    Route balance = get(() -> signedBalance);
    Route products = get(() -> signedProducts);
    return concat(path("balance", () -> balance), path("products", () -> products), orders.route(signing::signed));
  }
}
