package com.quanyi.node.projection;

import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrdersDebited;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * One order's event as the order projections (sales, settlement, callbacks) apply it, whichever
 * journal it was written in. An order tag carries the order entities' events and the channel
 * accounts' debits that accepted orders of that tag ({@code OrderCharge#accepted}). Such an
 * acceptance is the order's first event ({@code seq} 1); the copy its entity writes when it adopts
 * it is the same event again, and is left out.
 *
 * @param offset the offset of the envelope it came in (one account envelope can carry many orders)
 */
public record OrderEvent(String orderId, long seq, Event event, long timestamp, Offset offset) {

  /** The events of this tag's orders in one envelope, in order. */
  public static List<OrderEvent> of(EventEnvelope<Object> envelope, String tag, int tags) {
    Object event = envelope.event();
    if (event instanceof OrderAccepted accepted && accepted.adopted()) {
      return List.of();
    }
    if (event instanceof Event orderEvent) {
      return List.of(new OrderEvent(ProjectionSupport.entityId(envelope.persistenceId()), envelope.sequenceNr(),
          orderEvent, envelope.timestamp(), envelope.offset()));
    }
    if (!(event instanceof OrdersDebited debited)) {
      return List.of();
    }
    List<OrderEvent> accepted = new ArrayList<>();
    for (OrderCharge charge : debited.charges()) {
      if (charge.accepted() != null && EventTags.tagFor(EventTags.ORDER, charge.orderId(), tags).equals(tag)) {
        accepted.add(new OrderEvent(charge.orderId(), 1, charge.accepted(), envelope.timestamp(), envelope.offset()));
      }
    }
    return accepted;
  }

  public static List<OrderEvent> of(List<EventEnvelope<Object>> envelopes, String tag, int tags) {
    List<OrderEvent> events = new ArrayList<>();
    envelopes.forEach(e -> events.addAll(of(e, tag, tags)));
    return events;
  }

  /**
   * The events in runs of at most {@code maxOrders} orders each, in order: what one write of a
   * grouped projection may carry (one account event can accept more orders than fit in one batch).
   */
  public static List<List<OrderEvent>> slices(List<OrderEvent> events, int maxOrders) {
    List<List<OrderEvent>> slices = new ArrayList<>();
    List<OrderEvent> slice = new ArrayList<>();
    java.util.Set<String> orders = new java.util.HashSet<>();
    for (OrderEvent event : events) {
      if (!orders.contains(event.orderId()) && orders.size() == maxOrders) {
        slices.add(slice);
        slice = new ArrayList<>();
        orders.clear();
      }
      orders.add(event.orderId());
      slice.add(event);
    }
    if (!slice.isEmpty()) {
      slices.add(slice);
    }
    return slices;
  }
}
