package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrdersDebited;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/**
 * What the order projections see of an order tag: an account debit gives the acceptances of the
 * tag's own orders (each the order's event 1), the copy an order entity adopts is left out, and
 * the order's own later events come as they are.
 */
class OrderEventTest {

  private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");
  private static final int TAGS = 4;

  private static OrderAccepted accepted(String clientOrderNo) {
    return new OrderAccepted(new OrderRequest("ch-1", clientOrderNo, "sku-a", 1,
        new OrderRequest.Buyer("u-1", "198.51.100.4", null), null, null), List.of(new SlotRange("b-1", 0, 1)),
        Money.of(100, "CNY"), AT, OrderStatus.DELIVERED, null, Money.of(60, "CNY"));
  }

  private static EventEnvelope<Object> envelope(String persistenceId, long seq, Object event) {
    return EventEnvelope.create(org.apache.pekko.persistence.query.Offset.sequence(seq), persistenceId, seq, event, 0L);
  }

  @Test
  void anAccountDebitGivesTheAcceptancesOfTheTagsOwnOrders() {
    List<OrderCharge> charges = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      OrderAccepted accepted = accepted("N-" + i);
      charges.add(new OrderCharge(accepted.request().orderId(), accepted.amount(), "sku-a", 1, accepted));
    }
    charges.add(new OrderCharge("ch-1~TOPUP", Money.of(100, "CNY"), null, 0));
    EventEnvelope<Object> debit = envelope("ChannelAccount|ch-1", 7, new OrdersDebited(charges, AT));

    int seen = 0;
    for (int t = 0; t < TAGS; t++) {
      String tag = EventTags.tag(EventTags.ORDER, t);
      for (OrderEvent event : OrderEvent.of(debit, tag, TAGS)) {
        assertEquals(tag, EventTags.tagFor(EventTags.ORDER, event.orderId(), TAGS));
        assertEquals(1, event.seq());
        assertEquals(debit.offset(), event.offset());
        seen++;
      }
    }
    assertEquals(40, seen, "every acceptance once over the tags, and the charge without one in none");

    String orderTag = EventTags.tagFor(EventTags.ORDER, "ch-1~N-3", TAGS);
    assertTrue(OrderEvent.of(envelope("OrderProcess|ch-1~N-3", 1, accepted("N-3").adoptedByOrder()), orderTag, TAGS)
        .isEmpty(), "the adopted copy was counted from the account's event");
    List<OrderEvent> refund = OrderEvent.of(envelope("OrderProcess|ch-1~N-3", 2,
        new DeliveredRefunded("bad code", "ops", AT)), orderTag, TAGS);
    assertEquals(1, refund.size());
    assertEquals("ch-1~N-3", refund.get(0).orderId());
    assertEquals(2, refund.get(0).seq());
  }

  @Test
  void slicesCarryAtMostSoManyOrdersAndKeepTheOrder() {
    List<OrderEvent> events = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      events.add(new OrderEvent("ch-1~N-" + i, 1, accepted("N-" + i), 0L, null));
      if (i == 4) {
        events.add(new OrderEvent("ch-1~N-4", 2, new DeliveredRefunded("x", "ops", AT), 0L, null));
      }
    }
    List<List<OrderEvent>> slices = OrderEvent.slices(events, 10);
    assertEquals(List.of(11, 10, 5), slices.stream().map(List::size).toList(), "at most 10 orders a slice (an order once, with all its events there)");
    assertEquals(events, slices.stream().flatMap(List::stream).toList());
  }
}
