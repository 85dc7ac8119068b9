package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.OrderFactRow;
import com.quanyi.persistence.reporting.OrderReportStore;
import com.quanyi.persistence.reporting.SalesRow;
import com.quanyi.protocol.reporting.SupplierDayRow;
import com.quanyi.protocol.order.OrderProtocol.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The order projection's handler for one tag: applies each order event to the order's facts, the
 * order index, the sales ledger and supplier top-ups. An event whose sequence number the order's
 * facts already carry was applied before (a replay from an older offset) and is skipped; so
 * replaying gives the same tables. This instance is the only writer of its tag's ledger rows,
 * so it keeps their totals in memory once read.
 */
final class OrderReportHandler extends Handler<EventEnvelope<Event>> {

  private static final int CACHED = 20_000;

  private final OrderReportStore store;
  private final OrderReportLogic logic;
  private final String tag;
  private final Map<String, OrderFactRow> facts = new Lru<>(CACHED);
  private final Map<String, SalesRow> sales = new Lru<>(CACHED);
  private final Map<String, SupplierDayRow> suppliers = new Lru<>(CACHED);

  OrderReportHandler(OrderReportStore store, String tag) {
    this.store = store;
    this.logic = new OrderReportLogic(store.days());
    this.tag = tag;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Event> envelope) {
    String orderId = ProjectionSupport.entityId(envelope.persistenceId());
    return fact(orderId).thenCompose(before -> {
      if (before != null && before.seq() >= envelope.sequenceNr()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      OrderReportLogic.Effect effect = logic.apply(before, envelope.event(), envelope.sequenceNr());
      if (effect.after() == null) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      return totals(before, effect).thenCompose(change -> store.write(change).thenApply(written -> {
        facts.put(orderId, change.after());
        change.sales().forEach(s -> sales.put(salesKey(s), s));
        change.suppliers().forEach(s -> suppliers.put(supplierKey(s), s));
        return Done.getInstance();
      }));
    });
  }

  private CompletionStage<OrderFactRow> fact(String orderId) {
    OrderFactRow known = facts.get(orderId);
    return known != null ? CompletableFuture.completedFuture(known)
        : store.fact(orderId).thenApply(found -> found.orElse(null));
  }

  /** The new totals of every row the effect adds to (its increments merged per row first). */
  private CompletionStage<OrderReportStore.Change> totals(OrderFactRow before, OrderReportLogic.Effect effect) {
    Map<String, SalesRow> salesDeltas = new LinkedHashMap<>();
    effect.sales().forEach(d -> salesDeltas.merge(salesKey(d), d, SalesRow::plus));
    Map<String, SupplierDayRow> supplierDeltas = new LinkedHashMap<>();
    effect.suppliers().forEach(d -> supplierDeltas.merge(supplierKey(d), d, SupplierDayRow::plus));

    List<CompletionStage<SalesRow>> newSales = new ArrayList<>();
    for (Map.Entry<String, SalesRow> d : salesDeltas.entrySet()) {
      SalesRow delta = d.getValue();
      SalesRow known = sales.get(d.getKey());
      CompletionStage<SalesRow> current = known != null ? CompletableFuture.completedFuture(known)
          : store.salesRow(delta.day(), delta.skuId(), delta.channelId(), tag).thenApply(found -> found.orElse(
              SalesRow.empty(delta.day(), delta.skuId(), delta.channelId(), delta.currency())));
      newSales.add(current.thenApply(row -> row.plus(delta)));
    }
    List<CompletionStage<SupplierDayRow>> newSuppliers = new ArrayList<>();
    for (Map.Entry<String, SupplierDayRow> d : supplierDeltas.entrySet()) {
      SupplierDayRow delta = d.getValue();
      SupplierDayRow known = suppliers.get(d.getKey());
      CompletionStage<SupplierDayRow> current = known != null ? CompletableFuture.completedFuture(known)
          : store.supplierRow(delta.day(), delta.supplierId(), tag).thenApply(found -> found.orElse(
              SupplierDayRow.empty(delta.day(), delta.supplierId())));
      newSuppliers.add(current.thenApply(row -> row.plus(delta)));
    }
    return ProjectionSupport.sequence(newSales).thenCombine(ProjectionSupport.sequence(newSuppliers),
        (s, p) -> new OrderReportStore.Change(before, effect.after(), s, p, tag));
  }

  private static String salesKey(SalesRow row) {
    return row.day() + "|" + row.skuId() + "|" + row.channelId();
  }

  private static String supplierKey(SupplierDayRow row) {
    return row.day() + "|" + row.supplierId();
  }
}
