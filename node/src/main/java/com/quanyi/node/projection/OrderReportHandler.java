package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.OrderFactRow;
import com.quanyi.persistence.reporting.OrderReportStore;
import com.quanyi.persistence.reporting.SalesLine;
import com.quanyi.persistence.reporting.SalesRow;
import com.quanyi.persistence.reporting.SupplierLine;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.reporting.SupplierDayRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The sales projection's handler for one tag, a group of events at a time: applies each order
 * event to the order's facts, the order index, the sales ledger and supplier top-ups, and writes
 * the group as one logged batch. An event whose sequence number the order's facts already carry
 * was applied before (a replay from an older offset) and is skipped; so replaying gives the same
 * tables. The sales ledger and supplier top-ups take a line per event (keyed by the order and the
 * event's sequence number), never a total read first: a total read while an earlier group's batch
 * was only partly applied lost that group's orders for good. A new order's acceptance costs no
 * read: the tag's watermark, written with every group, tells it was never applied.
 */
final class OrderReportHandler extends Handler<List<EventEnvelope<Object>>> {

  private static final int CACHED = 20_000;

  private final OrderReportStore store;
  private final OrderReportLogic logic;
  private final String tag;
  private final int tags;
  private final Map<String, OrderFactRow> facts = new Lru<>(CACHED);
  /** The latest offset this tag's rows include (null: none yet); see {@link #surelyNew}. */
  private UUID applied;
  private boolean watermarkRead;
  /** Whether this node may write now ({@link com.quanyi.node.WriteGuard}), asked again right before each write. */
  private final BooleanSupplier mayWrite;

  OrderReportHandler(OrderReportStore store, String tag, int tags, BooleanSupplier mayWrite) {
    this.store = store;
    this.mayWrite = mayWrite;
    this.logic = new OrderReportLogic(store.days());
    this.tag = tag;
    this.tags = tags;
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<Object>> envelopes) {
    List<OrderEvent> events = OrderEvent.of(envelopes, tag, tags);
    return watermark().thenCompose(read -> {
      Set<String> fresh = fresh(events);
      CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
      for (List<OrderEvent> slice : OrderEvent.slices(events, ReportingProjections.GROUP)) {
        done = done.thenCompose(previous -> applied(slice, fresh));
      }
      return done;
    });
  }

  /**
   * The orders of the group that were never applied, judged once against the watermark as it was
   * before the group: a later slice's orders are new although an earlier slice of the same account
   * event moved the watermark to that event's offset. After a crash between slices, the stored
   * watermark is that offset, so those orders are read and checked.
   */
  private Set<String> fresh(List<OrderEvent> events) {
    Set<String> seen = new HashSet<>();
    Set<String> fresh = new HashSet<>();
    for (OrderEvent event : events) {
      if (seen.add(event.orderId()) && surelyNew(event)) {
        fresh.add(event.orderId());
      }
    }
    return fresh;
  }

  /** The tag's watermark, read once per start of this instance. */
  private CompletionStage<Done> watermark() {
    if (watermarkRead) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return store.watermark(tag).thenApply(found -> {
      applied = found.orElse(null);
      watermarkRead = true;
      return Done.getInstance();
    });
  }

  /** One write for a slice of the group; its watermark is the latest offset among its events. */
  private CompletionStage<Done> applied(List<OrderEvent> events, Set<String> fresh) {
    Set<String> unknown = new HashSet<>();
    for (OrderEvent event : events) {
      if (!facts.containsKey(event.orderId()) && !fresh.contains(event.orderId())) {
        unknown.add(event.orderId());
      }
    }
    UUID last = latest(applied, events.stream().map(OrderEvent::offset).toList());
    return store.facts(unknown).thenCompose(read -> {
      Map<String, OrderFactRow> stored = new LinkedHashMap<>();
      for (OrderEvent event : events) {
        String orderId = event.orderId();
        stored.putIfAbsent(orderId, facts.containsKey(orderId) ? facts.get(orderId) : read.get(orderId));
      }
      Map<String, OrderFactRow> current = new LinkedHashMap<>(stored);
      Map<String, SalesLine> salesLines = new LinkedHashMap<>();
      Map<String, SupplierLine> supplierLines = new LinkedHashMap<>();
      Map<String, OrderFactRow> changed = new LinkedHashMap<>();
      for (OrderEvent event : events) {
        String orderId = event.orderId();
        OrderFactRow before = current.get(orderId);
        if (before != null && before.seq() >= event.seq()) {
          continue;
        }
        OrderReportLogic.Effect effect = logic.apply(before, event.event(), event.seq());
        if (effect.after() == null) {
          continue;
        }
        current.put(orderId, effect.after());
        changed.put(orderId, effect.after());
        for (SalesRow d : effect.sales()) {
          salesLines.merge(salesKey(d) + "|" + orderId + "|" + event.seq(), new SalesLine(d, orderId, event.seq()),
              (a, b) -> new SalesLine(a.row().plus(b.row()), orderId, event.seq()));
        }
        for (SupplierDayRow d : effect.suppliers()) {
          supplierLines.merge(supplierKey(d) + "|" + orderId + "|" + event.seq(), new SupplierLine(d, orderId, event.seq()),
              (a, b) -> new SupplierLine(a.row().plus(b.row()), orderId, event.seq()));
        }
      }
      if (changed.isEmpty()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      List<OrderReportStore.OrderChange> orders = new ArrayList<>();
      changed.forEach((orderId, after) -> orders.add(new OrderReportStore.OrderChange(stored.get(orderId), after)));
      if (!mayWrite.getAsBoolean()) {
        return CompletableFuture.failedFuture(new IllegalStateException("this node may have been downed while applying a group"));
      }
      return store.write(new OrderReportStore.Change(orders, List.copyOf(salesLines.values()),
          List.copyOf(supplierLines.values()), tag, last)).thenApply(written -> {
            applied = last;
            facts.putAll(changed);
            return Done.getInstance();
          });
    });
  }

  /**
   * An order's acceptance later than the watermark was never applied: the watermark, written with
   * every group's rows, is the latest offset applied so far. An event the query finds late (an older
   * offset) is at or below it and read like any other, as are events in the watermark's own 100 ns
   * tick, since offsets of one tick can sort either way.
   */
  private boolean surelyNew(OrderEvent event) {
    UUID offset = event.offset() instanceof TimeBasedUUID time ? time.value() : null;
    return event.event() instanceof OrderAccepted && offset != null
        && (applied == null || offset.timestamp() > applied.timestamp());
  }

  /**
   * The new watermark: the latest offset of the group or the one before, whichever is later. Not
   * simply the group's last event, which can be one the query found late, with an older offset.
   */
  static UUID latest(UUID applied, List<Offset> offsets) {
    UUID latest = applied;
    for (Offset any : offsets) {
      UUID offset = any instanceof TimeBasedUUID time ? time.value() : null;
      if (offset == null) {
        return applied;
      }
      if (latest == null || offset.timestamp() > latest.timestamp()) {
        latest = offset;
      }
    }
    return latest;
  }

  private static String salesKey(SalesRow row) {
    return row.day() + "|" + row.skuId() + "|" + row.channelId();
  }

  private static String supplierKey(SupplierDayRow row) {
    return row.day() + "|" + row.supplierId();
  }
}
