package com.quanyi.node.alert;

import com.quanyi.http.console.AlertService.Alert;
import com.quanyi.node.Replies;
import com.quanyi.node.callback.ParkedCallbacks;
import com.quanyi.http.order.OrderService;
import com.quanyi.http.reporting.ReportingService;
import com.quanyi.http.supplier.SupplierService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What is wrong now, read from the services the admin API answers from: SKUs at or below their
 * low-stock threshold, suppliers whose circuit is not closed (as the node running the watch sees
 * them), the review queue above its threshold, projections lagging more than theirs, channels with
 * callbacks parked after every retry. A source that
 * cannot answer contributes nothing this time (its alerts stay as they were: see {@link AlertWatch}).
 */
final class AlertConditions {

  /** The alerts of each source, or null for a source that did not answer. */
  record Seen(List<List<Alert>> bySource) {}

  private final Supplier<ReportingService> reports;
  private final OrderService orders;
  private final SupplierService suppliers;
  private final ParkedCallbacks parked;
  private final AlertSettings settings;
  private final Executor dispatcher;

  AlertConditions(Supplier<ReportingService> reports, OrderService orders, SupplierService suppliers,
      ParkedCallbacks parked, AlertSettings settings, Executor dispatcher) {
    this.reports = reports;
    this.orders = orders;
    this.suppliers = suppliers;
    this.parked = parked;
    this.settings = settings;
    this.dispatcher = dispatcher;
  }

  static final List<String> SOURCES = List.of("LOW_STOCK", "SUPPLIER_CIRCUIT_OPEN", "REVIEW_QUEUE", "PROJECTION_LAG",
      "PARKED_CALLBACKS");

  CompletionStage<Seen> look(Instant now) {
    ReportingService reporting = reports.get();
    List<CompletableFuture<List<Alert>>> sources = List.of(
        reporting == null ? unanswered() : answered(reporting.inventory(true).thenApply(skus -> skus.stream()
            .filter(sku -> sku.lowSince() != null)
            .map(sku -> new Alert("LOW_STOCK/" + sku.skuId(), "LOW_STOCK", sku.skuId(), sku.available()
                + " available, threshold " + sku.threshold(), sku.lowSince())).toList())),
        answered(suppliers.list().thenApply(list -> list.stream()
            .filter(s -> s.health() != null && !"CLOSED".equals(s.health().circuit()))
            .map(s -> new Alert("SUPPLIER_CIRCUIT_OPEN/" + s.supplierId(), "SUPPLIER_CIRCUIT_OPEN", s.supplierId(),
                "circuit " + s.health().circuit() + " after " + s.health().consecutiveFailures() + " failures", now))
            .toList())),
        answered(orders.reviews().thenApply(queue -> queue.size() > settings.reviewQueueAbove()
            ? List.of(new Alert("REVIEW_QUEUE", "REVIEW_QUEUE", "reviews", queue.size() + " orders wait for an operator"
                + " (threshold " + settings.reviewQueueAbove() + ")", now))
            : List.<Alert>of())),
        reporting == null ? unanswered() : answered(reporting.projections().thenApply(projections -> {
          List<Alert> lagging = new ArrayList<>();
          projections.forEach(p -> p.instances().stream().mapToLong(i -> i.lagMillis()).max().ifPresent(lag -> {
            if (lag > settings.projectionLagAbove().toMillis()) {
              lagging.add(new Alert("PROJECTION_LAG/" + p.name(), "PROJECTION_LAG", p.name(), lag + " ms behind"
                  + " (threshold " + settings.projectionLagAbove().toMillis() + " ms)", now));
            }
          }));
          return lagging;
        })),
        answered(parked.byChannel().thenApply(byChannel -> byChannel.entrySet().stream()
            .map(e -> new Alert("PARKED_CALLBACKS/" + e.getKey(), "PARKED_CALLBACKS", e.getKey(), e.getValue()
                + " callbacks parked after every retry, waiting for a replay", now)).toList())));
    return CompletableFuture.allOf(sources.toArray(CompletableFuture[]::new))
        .thenApply(all -> new Seen(sources.stream().map(CompletableFuture::join).toList()));
  }

  private CompletableFuture<List<Alert>> answered(CompletionStage<List<Alert>> source) {
    return Replies.on(dispatcher, source).exceptionally(failure -> null);
  }

  private static CompletableFuture<List<Alert>> unanswered() {
    return CompletableFuture.completedFuture(null);
  }
}
