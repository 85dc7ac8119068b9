package com.quanyi.http.inventory;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.admin.Role.Permission;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.FreezeBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Invalid;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnfreezeBatch;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /admin/v1/skus/{skuId}/batches}: code imports, batch stock, freezing a leaked batch. */
public final class BatchRoutes extends AdminRouteSupport {

  private static final long MAX_UNIT_COST = 100_000_000_00L;

  private final ClusterSharding sharding;
  private final CodeImportService imports;
  private final Duration askTimeout;

  public BatchRoutes(ActorSystem<?> system, AdminAuthenticator authenticator, CodeImportService imports, Duration askTimeout) {
    super(authenticator);
    this.sharding = ClusterSharding.get(system);
    this.imports = imports;
    this.askTimeout = askTimeout;
  }

  public Route route(String skuId) {
    return pathPrefix("batches", () -> concat(
        pathEndOrSingleSlash(() -> post(() -> authorized(Permission.INVENTORY_WRITE, principal ->
            parameterOptional("supplierId", supplierId -> parameterOptional("unitCost", unitCost ->
                withoutSizeLimit(() -> extractRequestEntity(entity -> {
                  if (!entity.getContentType().mediaType().toString().equals("text/csv")) {
                    return completeProblem(ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                        "codes are imported as text/csv: one code per line, optionally code,expiresAt");
                  }
                  String supplier = supplierId.orElse("");
                  if (!Identifier.isValid(supplier)) {
                    return completeProblem(ProblemCode.INVALID_REQUEST,
                        "query parameter supplierId is required: 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
                  }
                  Optional<Long> cost = unitCost.flatMap(BatchRoutes::minorUnits);
                  if (cost.isEmpty()) {
                    return completeProblem(ProblemCode.INVALID_REQUEST,
                        "query parameter unitCost is required: the cost of one code in minor units, 0 or more");
                  }
                  if (entity.isKnownEmpty()) {
                    return completeProblem(ProblemCode.INVALID_REQUEST, "the body holds no codes: one code per line");
                  }
                  return onReply(imports.importCsv(new CodeImportService.Request(skuId, supplier, cost.get(), principal.name()),
                      entity.getDataBytes()), BatchRoutes::imported);
                }))))))),
        pathPrefix(segment(), batchId -> {
          if (!Identifier.isValid(batchId)) {
            return completeProblem(ProblemCode.NOT_FOUND, "no such batch");
          }
          return concat(
              pathEndOrSingleSlash(() -> get(() -> authorized(Permission.READ, principal ->
                  onReply(sku(skuId).ask(replyTo -> new GetBatch(batchId, replyTo), askTimeout), BatchRoutes::batch)))),
              path("freeze", () -> post(() -> authorized(Permission.INVENTORY_WRITE, principal ->
                  onReply(sku(skuId).ask(replyTo -> new FreezeBatch(batchId, principal.name(), replyTo), askTimeout),
                      BatchRoutes::batch)))),
              path("unfreeze", () -> post(() -> authorized(Permission.INVENTORY_WRITE, principal ->
                  onReply(sku(skuId).ask(replyTo -> new UnfreezeBatch(batchId, principal.name(), replyTo), askTimeout),
                      BatchRoutes::batch)))));
        })));
  }

  private static HttpResponse imported(CodeImportService.Outcome outcome) {
    if (outcome instanceof CodeImportService.Imported imported) {
      return json(created(), imported.result());
    }
    CodeImportService.Refused refused = (CodeImportService.Refused) outcome;
    return problem(refused.code(), refused.detail());
  }

  private static HttpResponse batch(BatchLookup lookup) {
    if (lookup instanceof BatchFound found) {
      return json(ok(), BatchResponse.of(found.batch(), found.skuStock()));
    }
    if (lookup instanceof Invalid invalid) {
      return problem(ProblemCode.INVALID_REQUEST, invalid.reason());
    }
    return problem(ProblemCode.NOT_FOUND, "no such SKU or batch");
  }

  private static Optional<Long> minorUnits(String value) {
    if (!value.matches("[0-9]{1,12}")) {
      return Optional.empty();
    }
    long amount = Long.parseLong(value);
    return amount <= MAX_UNIT_COST ? Optional.of(amount) : Optional.empty();
  }

  private EntityRef<SkuInventoryProtocol.Command> sku(String skuId) {
    return sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId);
  }
}
