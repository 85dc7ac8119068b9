package com.quanyi.http.inventory;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AlreadyRegistered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Invalid;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registration;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuView;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UpdateSku;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuPatch;
import com.quanyi.protocol.inventory.SkuRequest;
import com.quanyi.protocol.inventory.SkuResponse;
import com.quanyi.protocol.admin.Role.Permission;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /admin/v1/skus}: the catalog side of the SKU inventory entity. */
public final class SkuRoutes extends AdminRouteSupport {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final BatchRoutes batches;
  private final BundleService bundles;

  public SkuRoutes(ActorSystem<?> system, AdminAuthenticator authenticator, CodeImportService imports,
      BundleService bundles, Duration askTimeout) {
    super(authenticator);
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.bundles = bundles;
    this.batches = new BatchRoutes(system, authenticator, imports, askTimeout);
  }

  public Route route() {
    return pathPrefix("skus", () -> concat(
        pathEndOrSingleSlash(() -> post(() -> authorized(Permission.CATALOG_WRITE, principal ->
            jsonBody(SkuRequest.class, request -> {
              SkuDefinition definition = valid(request::toDefinition);
              if (!definition.isBundle()) {
                return registered(definition, principal.name());
              }
              return onReplyRoute(bundles.resolved(definition), resolution -> resolution.refusal() != null
                  ? completeProblem(ProblemCode.INVALID_REQUEST, resolution.refusal())
                  : registered(resolution.bundle(), principal.name()));
            })))),
        pathPrefix(segment(), skuId -> withSku(skuId, id -> concat(
            pathEndOrSingleSlash(() -> concat(
                get(() -> authorized(Permission.READ, principal ->
                    onReplyRoute(sku(id).<Lookup>ask(GetSku::new, askTimeout), lookup -> withBundleStock(id, lookup)))),
                patch(() -> authorized(Permission.CATALOG_WRITE, principal -> jsonBody(SkuPatch.class, patch -> {
                  if (patch.isEmpty()) {
                    throw new ApiJson.InvalidRequest("nothing to change: give at least one of name, listPrice, "
                        + "riskLevel, maxPerBuyer, status, lowStockThreshold");
                  }
                  return onReply(sku(id).<Lookup>ask(replyTo -> new UpdateSku(patch, principal.name(), replyTo), askTimeout),
                      lookup -> found(id, lookup));
                }))))),
            batches.route(id))))));
  }

  private Route registered(SkuDefinition definition, String actor) {
    return onReply(sku(definition.skuId()).<Registration>ask(replyTo -> new RegisterSku(definition, actor, replyTo),
            askTimeout),
        SkuRoutes::registered);
  }

  private static HttpResponse registered(Registration registration) {
    if (registration instanceof Registered r) {
      return json(created(), SkuResponse.of(r.sku()));
    }
    AlreadyRegistered existing = (AlreadyRegistered) registration;
    return problem(ProblemCode.ALREADY_EXISTS,
        "SKU " + existing.sku().definition().skuId() + " already exists; use PATCH to change it");
  }

  /** A bundle holds no stock: what it shows is what its parts make. */
  private Route withBundleStock(String skuId, Lookup lookup) {
    if (lookup instanceof Found f && f.sku().definition().isBundle()) {
      SkuView view = f.sku();
      return onReply(bundles.stock(view.definition()), stock -> json(ok(),
          SkuResponse.of(new SkuView(view.definition(), stock, view.registeredAt()))));
    }
    return complete(found(skuId, lookup));
  }

  private static HttpResponse found(String skuId, Lookup lookup) {
    if (lookup instanceof Found f) {
      return json(ok(), SkuResponse.of(f.sku()));
    }
    if (lookup instanceof Invalid invalid) {
      return problem(ProblemCode.INVALID_REQUEST, invalid.reason());
    }
    return problem(ProblemCode.NOT_FOUND, "no SKU " + skuId);
  }

  private Route withSku(String skuId, Function<String, Route> inner) {
    if (!Identifier.isValid(skuId)) {
      return completeProblem(ProblemCode.NOT_FOUND, "no such SKU: ids are 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
    }
    return inner.apply(skuId);
  }

  private EntityRef<SkuInventoryProtocol.Command> sku(String skuId) {
    return sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId);
  }

  private static SkuDefinition valid(Supplier<SkuDefinition> definition) {
    try {
      return definition.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ApiJson.InvalidRequest(e.getMessage());
    }
  }
}
