package com.quanyi.http.order;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiDirectives;
import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.order.OrderRequest;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /api/v1/orders} for a channel already authenticated by its signature. */
public final class OrderRoutes extends ApiDirectives {

  private final OrderService orders;

  public OrderRoutes(OrderService orders) {
    this.orders = orders;
  }

  /** @param signed authenticates the request and hands over its channel id */
  public Route route(Function<Function<String, Route>, Route> signed) {
    // Built once (see HttpApi.route); only the order number's route is made per request.
    Route placing = signed.apply(channelId -> jsonBody(OrderBody.class, body ->
        onReply(orders.place(valid(channelId, body)), OrderRoutes::respond)));
    Route post = post(() -> placing);
    Route orderList = concat(pathEndOrSingleSlash(() -> post),
        path(segment(), clientOrderNo -> get(() -> signed.apply(channelId -> Identifier.isValid(clientOrderNo)
            ? onReply(orders.channelOrder(channelId, clientOrderNo), OrderRoutes::respond)
            : completeProblem(ProblemCode.NOT_FOUND, "no such order")))));
    return pathPrefix("orders", () -> orderList);
  }

  public static HttpResponse respond(OrderService.Outcome outcome) {
    if (outcome instanceof OrderService.Created created) {
      return json(created(), created.order());
    }
    if (outcome instanceof OrderService.Existing existing) {
      return json(ok(), existing.order());
    }
    OrderService.Refused refused = (OrderService.Refused) outcome;
    return problem(refused.code(), refused.detail());
  }

  private static OrderRequest valid(String channelId, OrderBody body) {
    try {
      if (body.quantity() == null) {
        throw new IllegalArgumentException("quantity is required");
      }
      if (body.buyer() == null) {
        throw new IllegalArgumentException("buyer is required");
      }
      return new OrderRequest(channelId, required("clientOrderNo", body.clientOrderNo()), required("skuId", body.skuId()),
          body.quantity(), new OrderRequest.Buyer(body.buyer().userId(), body.buyer().ip(), body.buyer().deviceId()),
          body.rechargeAccount(), body.callbackUrl());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ApiJson.InvalidRequest(e.getMessage());
    }
  }

  private static String required(String field, String value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }
}
