package com.quanyi.protocol.order;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SlotRange;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of an order (one sharded persistent actor per channel and client order number):
 * its commands, events and replies. The behavior is {@code node/…/order/OrderProcess}.
 */
public final class OrderProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "OrderProcess");

  private OrderProtocol() {}

  /** The order id: channel and client order number, joined by a character neither may contain. */
  public static String orderId(String channelId, String clientOrderNo) {
    return channelId + "~" + clientOrderNo;
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Places the order, or answers with the order already placed under this number. */
  public record Place(OrderRequest request, ActorRef<Placement> replyTo) implements Command {}

  public record GetOrder(ActorRef<OrderLookup> replyTo) implements Command {}

  /**
   * From an inventory holding units for this order that no order confirmed: an order that was
   * accepted confirms them; one that never was (its node died mid-way, and nobody retried) gives
   * the units and the charge back.
   */
  public record Reconcile(String skuId) implements Command {}

  /** Internal: abandoning finished. */
  public record Abandoned() implements Command {}

  /** Internal: the steps of a placement (price, allocation, debit) finished. */
  public record StepsDone(FlowOutcome outcome) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  /** Stock allocated and the channel charged: one write per accepted card-code order. */
  public record OrderAccepted(OrderRequest request, List<SlotRange> slots, Money amount, Instant at) implements Event {}

  // ---- replies

  public record OrderView(String orderId, String channelId, String clientOrderNo, String skuId, int quantity,
      OrderStatus status, Money amount, List<SlotRange> slots, Instant createdAt) implements CborSerializable {}

  public sealed interface Placement extends CborSerializable {}

  /** {@code created}: this request created the order (201); otherwise it existed (200). */
  public record Placed(OrderView order, boolean created) implements Placement {}

  public record ContentMismatch() implements Placement {}

  /** Nothing was allocated, charged or stored. {@code reason} is a problem code name. */
  public record Refused(String reason, String detail) implements Placement {}

  public sealed interface OrderLookup extends CborSerializable {}

  public record OrderFound(OrderView order) implements OrderLookup {}

  public record OrderNotFound() implements OrderLookup {}

  /** What the placement steps came to. */
  public record FlowOutcome(List<SlotRange> slots, Money amount, String refusal, String detail)
      implements CborSerializable {
    public boolean accepted() {
      return refusal == null;
    }
  }
}
