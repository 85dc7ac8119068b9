package com.quanyi.http.order;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.http.ApiJson;
import com.quanyi.protocol.admin.Role.Permission;
import com.quanyi.protocol.order.OrderStatus;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /admin/v1/orders/{orderId}}: any order, codes masked; {@code …/timeline}: its events;
 * {@code GET /admin/v1/reviews}:
 * orders waiting for an operator; {@code POST /admin/v1/orders/{orderId}/resolve}: resolve a top-up
 * no supplier would decide; {@code …/approve} and {@code …/reject}: decide an order risk control held;
 * {@code …/refund}: refund a delivered order's charge.
 */
public final class AdminOrderRoutes extends AdminRouteSupport {

  private final OrderService orders;

  public AdminOrderRoutes(AdminAuthenticator authenticator, OrderService orders) {
    super(authenticator);
    this.orders = orders;
  }

  public record ResolveRequest(OrderStatus status) {}

  /** Body of {@code …/refund}: why the charge is refunded (kept with the order's event). */
  public record RefundRequest(String reason) {}

  public Route route() {
    return concat(
        pathPrefix("orders", () -> pathPrefix(segment(), orderId -> concat(
            pathEndOrSingleSlash(() -> get(() -> authorized(Permission.READ, principal ->
                onReply(orders.adminOrder(orderId), OrderRoutes::respond)))),
            path("timeline", () -> get(() -> authorized(Permission.READ, principal ->
                onReply(orders.timeline(orderId), outcome -> outcome instanceof OrderService.Timeline timeline
                    ? json(ok(), timeline)
                    : OrderRoutes.respond((OrderService.Refused) outcome))))),
            path("resolve", () -> post(() -> authorized(Permission.REVIEW_WRITE, principal ->
                jsonBody(ResolveRequest.class, request -> {
                  if (request.status() != OrderStatus.DELIVERED && request.status() != OrderStatus.FAILED) {
                    throw new ApiJson.InvalidRequest("status must be DELIVERED or FAILED");
                  }
                  return onReply(orders.resolve(orderId, request.status(), principal.name()), OrderRoutes::respond);
                })))),
            path("approve", () -> post(() -> authorized(Permission.REVIEW_WRITE, principal ->
                onReply(orders.decideReview(orderId, true, principal.name()), OrderRoutes::respond)))),
            path("reject", () -> post(() -> authorized(Permission.REVIEW_WRITE, principal ->
                onReply(orders.decideReview(orderId, false, principal.name()), OrderRoutes::respond)))),
            path("refund", () -> post(() -> authorized(Permission.REVIEW_WRITE, principal ->
                jsonBody(RefundRequest.class, request -> {
                  String reason = request.reason();
                  if (reason == null || reason.isBlank() || reason.length() > 500
                      || reason.chars().anyMatch(Character::isISOControl)) {
                    throw new ApiJson.InvalidRequest("reason is required: 1-500 characters without control characters");
                  }
                  return onReply(orders.refund(orderId, reason, principal.name()), OrderRoutes::respond);
                }))))))),
        path("reviews", () -> get(() -> authorized(Permission.READ, principal ->
            onReply(orders.reviews(), list -> json(ok(), Map.of("orders", list)))))));
  }
}
