package com.quanyi.http.supplier;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.http.channel.ChannelRoutes;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.admin.Role.Permission;
import com.quanyi.protocol.supplier.RouteEntry;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/v1/suppliers} (register, list with this node's view of their health) and
 * {@code /admin/v1/skus/{skuId}/suppliers} (a top-up SKU's route, in priority order).
 */
public final class SupplierRoutes extends AdminRouteSupport {

  private final SupplierService suppliers;

  public SupplierRoutes(AdminAuthenticator authenticator, SupplierService suppliers) {
    super(authenticator);
    this.suppliers = suppliers;
  }

  public record RouteRequest(List<RouteEntry> route) {}

  public Route route() {
    return concat(
        pathPrefix("suppliers", () -> pathEndOrSingleSlash(() -> concat(
            post(() -> authorized(Permission.SUPPLIER_WRITE, principal ->
                jsonBody(SupplierService.NewSupplier.class, request -> onReply(suppliers.register(request, principal.name()),
                    outcome -> ChannelRoutes.respond(outcome, info -> json(created(), info)))))),
            get(() -> authorized(Permission.READ, principal -> onReply(suppliers.list(),
                list -> json(ok(), Map.of("suppliers", list)))))))),
        pathPrefix("skus", () -> pathPrefix(segment(), skuId -> path("suppliers", () -> {
          if (!Identifier.isValid(skuId)) {
            return completeProblem(ProblemCode.NOT_FOUND, "no such SKU");
          }
          return concat(
              put(() -> authorized(Permission.SUPPLIER_WRITE, principal -> jsonBody(RouteRequest.class, request -> {
                if (request.route() == null) {
                  throw new ApiJson.InvalidRequest("route is required: a list of {supplierId, productCode, unitCost}");
                }
                return onReply(suppliers.setRoute(skuId, request.route(), principal.name()),
                    outcome -> ChannelRoutes.respond(outcome, info -> json(ok(), info)));
              }))),
              get(() -> authorized(Permission.READ, principal -> onReply(suppliers.route(skuId),
                  info -> json(ok(), info)))));
        }))));
  }
}
