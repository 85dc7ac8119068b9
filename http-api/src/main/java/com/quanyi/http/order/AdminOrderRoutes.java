package com.quanyi.http.order;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.admin.Role.Permission;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /admin/v1/orders/{orderId}}: any order, codes masked. */
public final class AdminOrderRoutes extends AdminRouteSupport {

  private final OrderService orders;

  public AdminOrderRoutes(AdminAuthenticator authenticator, OrderService orders) {
    super(authenticator);
    this.orders = orders;
  }

  public Route route() {
    return pathPrefix("orders", () -> path(segment(), orderId -> get(() -> authorized(Permission.READ, principal ->
        onReply(orders.adminOrder(orderId), OrderRoutes::respond)))));
  }
}
