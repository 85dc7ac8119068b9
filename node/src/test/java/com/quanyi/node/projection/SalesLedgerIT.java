package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.quanyi.persistence.reporting.OrderFactRow;
import com.quanyi.persistence.reporting.OrderReportStore;
import com.quanyi.persistence.reporting.ReportDays;
import com.quanyi.persistence.reporting.SalesLine;
import com.quanyi.persistence.reporting.SalesRow;
import com.quanyi.persistence.testkit.TestCassandra;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrdersDebited;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/**
 * The state Cassandra's death leaves when it comes in the middle of a sales projection's write, made
 * on purpose: of a group's logged batch only the orders' facts were applied (the batchlog brings the
 * rest later, seen in the chaos test). The projection, restarted, takes those orders as applied
 * (their facts say so) and writes the next group; then the rest of the first batch lands. The sales
 * ledger must count every order once. It did not while the ledger was a row of totals per tag, read
 * and rewritten by each group: the restarted projection's total left the cut group out, and the
 * cut group's total, when it landed, left the next one out.
 */
class SalesLedgerIT {

  private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");
  private static final int TAGS = 4;
  private static final String TAG = EventTags.tag(EventTags.ORDER, 0);
  private static final ReportDays DAYS = new ReportDays(ZoneOffset.UTC);

  @Test
  void aGroupWhoseBatchWasCutInHalfIsCountedOnceItsRestLands() {
    String channel = "ch-" + UUID.randomUUID();
    List<OrderAccepted> cut = List.of(accepted(channel, 0), accepted(channel, 1));
    List<OrderAccepted> next = List.of(accepted(channel, 2));
    try (CqlSession session = TestCassandra.get().newSession()) {
      OrderReportStore store = new OrderReportStore(session, TestCassandra.KEYSPACE, DAYS);
      OrderReportLogic logic = new OrderReportLogic(DAYS);
      List<OrderReportStore.OrderChange> cutFacts = new ArrayList<>();
      List<SalesLine> cutLines = new ArrayList<>();
      for (OrderAccepted accepted : cut) {
        OrderReportLogic.Effect effect = logic.apply(null, accepted, 1);
        cutFacts.add(new OrderReportStore.OrderChange(null, effect.after()));
        effect.sales().forEach(row -> cutLines.add(new SalesLine(row, accepted.request().orderId(), 1)));
      }
      UUID cutOffset = Uuids.startOf(AT.toEpochMilli());
      // What Cassandra kept of the cut group's batch: the facts alone.
      store.write(new OrderReportStore.Change(cutFacts, List.of(), List.of(), TAG, null)).toCompletableFuture().join();

      OrderReportHandler restarted = new OrderReportHandler(store, TAG, TAGS, () -> true);
      restarted.process(List.of(debit(channel, 7, cut, cutOffset),
          debit(channel, 8, next, Uuids.startOf(AT.toEpochMilli() + 1_000)))).toCompletableFuture().join();
      // The rest of the cut batch, brought by the batchlog.
      store.write(new OrderReportStore.Change(cutFacts, cutLines, List.of(), TAG, cutOffset))
          .toCompletableFuture().join();

      SalesRow ledger = store.salesOn(DAYS.dayOf(AT)).toCompletableFuture().join().stream()
          .filter(row -> channel.equals(row.channelId())).reduce(SalesRow::plus).orElseThrow();
      assertEquals(3, ledger.orders(), "every order once");
      assertEquals(3, ledger.units());
      assertEquals(300, ledger.revenue());
      OrderFactRow fact = store.fact(next.get(0).request().orderId()).toCompletableFuture().join().orElseThrow();
      assertEquals(OrderStatus.DELIVERED.name(), fact.status());
    }
  }

  /** An acceptance of one unit at 1.00 of an order number whose orders go to {@link #TAG}. */
  private static OrderAccepted accepted(String channel, int index) {
    for (int n = index * 1000; ; n++) {
      OrderRequest request = new OrderRequest(channel, "N-" + n, "sku-ledger", 1,
          new OrderRequest.Buyer("u-1", "198.51.100.4", null), null, null);
      if (EventTags.tagFor(EventTags.ORDER, request.orderId(), TAGS).equals(TAG)) {
        return new OrderAccepted(request, List.of(new SlotRange("b-1", n, 1)), Money.of(100, "CNY"), AT,
            OrderStatus.DELIVERED, null, Money.of(60, "CNY"));
      }
    }
  }

  private static EventEnvelope<Object> debit(String channel, long seq, List<OrderAccepted> acceptances, UUID offset) {
    List<OrderCharge> charges = new ArrayList<>();
    for (OrderAccepted accepted : acceptances) {
      charges.add(new OrderCharge(accepted.request().orderId(), accepted.amount(), "sku-ledger", 1, accepted));
    }
    return EventEnvelope.create(new TimeBasedUUID(offset), "ChannelAccount|" + channel, seq,
        new OrdersDebited(charges, AT), AT.toEpochMilli());
  }
}
