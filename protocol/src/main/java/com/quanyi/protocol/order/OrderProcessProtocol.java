package com.quanyi.protocol.order;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SlotRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of an order (one sharded persistent actor per channel and client order number):
 * its commands, events and replies. The behavior is {@code node/…/order/OrderProcess}.
 */
public final class OrderProcessProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "OrderProcess");

  private OrderProcessProtocol() {}

  /** The order id: channel and client order number, joined by a character neither may contain. */
  public static String orderId(String channelId, String clientOrderNo) {
    return channelId + "~" + clientOrderNo;
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node, never sent by another party. */
  public non-sealed interface Internal extends Command {}

  /** Places the order, or answers with the order already placed under this number. */
  public record Place(OrderRequest request, ActorRef<Placement> replyTo) implements Command {}

  public record GetOrder(ActorRef<OrderLookup> replyTo) implements Command {}

  /**
   * Records a card-code order whose steps (price, risk, allocation, charge) ran outside the entity
   * and succeeded: the order's one write. An order accepted already answers as {@link Place} would.
   * Refused after {@code notAfterMillis}: by then the inventory may be reconciling the units it
   * holds for the order, and an order written after that could keep units that went back to stock.
   */
  public record Accept(OrderRequest request, FlowOutcome outcome, long notAfterMillis, ActorRef<Placement> replyTo)
      implements Command {}

  /**
   * From an inventory holding units for this order that no order confirmed: an order that was
   * accepted confirms them; one that never was (its node died mid-way, and nobody retried) releases
   * the units and refunds the charge. {@code handOut}: the inventory's last hand-out of the hold to
   * a placement, which the release names (see {@code Release}).
   */
  public record Reconcile(String skuId, long handOut) implements Command {}

  // ---- commands of a top-up's driver (TopupProcess) to its order

  /** Where the top-up stands, for its driver (started, or restarted after a crash). */
  public record GetTopup(ActorRef<TopupState> replyTo) implements Command {}

  /** Persists that the driver is about to submit to this supplier, before it does. */
  public record RecordAttempt(String supplierId, String supplierOrderId, ActorRef<Recorded> replyTo) implements Command {}

  /** The top-up ended: delivered, failed (the order refunds the charge), or undecided (manual review). */
  public record FinishTopup(TopupEnd end, ActorRef<Recorded> replyTo) implements Command {}

  /** The driver found the order never accepted (its node died before): refund the charge. */
  public record RefundUnplacedTopup(ActorRef<Recorded> replyTo) implements Command {}

  /** An operator resolves a top-up no supplier would decide: DELIVERED, or FAILED (the charge is refunded). */
  public record Resolve(OrderStatus status, String actor, ActorRef<OperatorAnswer> replyTo) implements Command {}

  /**
   * An operator decides an order risk control held in REVIEW: approve (card codes are allocated and
   * delivered now, a top-up goes to its suppliers) or reject (the charge is refunded).
   */
  public record DecideReview(boolean approve, String actor, ActorRef<OperatorAnswer> replyTo) implements Command {}

  /**
   * An operator refunds a DELIVERED order's charge (a code that did not work, a complaint upheld):
   * the order ends REFUNDED; what was delivered stays delivered. Once per order, however often asked.
   */
  public record RefundDelivered(String reason, String actor, ActorRef<OperatorAnswer> replyTo) implements Command {}

  // ---- commands of redemption (核销): the order is the one authority over its codes, so a
  // redemption and a refund of the same order are decided one after the other, never both

  /**
   * Redeems one of this order's codes, named by its place in stock ({@code batchId}, {@code position}).
   * {@code amount}: how much of a value card is used (minor units); null uses all that remains.
   * {@code faceValue}: the code's value when it was never redeemed (its SKU's face value).
   * With {@code dryRun} nothing is written: the answer says what a redemption would do.
   * {@code skuId} and {@code deliveredAt} (from the codes projection) are carried into the event for
   * the redemption report.
   */
  public record Redeem(String batchId, long position, String verifierId, String place, Long amount, Money faceValue,
      boolean dryRun, String skuId, Instant deliveredAt, ActorRef<RedeemAnswer> replyTo) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {
    /** When the order entity wrote it. */
    Instant at();
  }

  /**
   * The status this event gives the order as the channel sees it, or null for events that change
   * none (supplier attempts, a top-up handed to operators). Callbacks and settlement read it.
   */
  public static OrderStatus statusSetBy(Event event) {
    if (event instanceof OrderAccepted accepted) {
      return accepted.status() == null ? OrderStatus.DELIVERED : accepted.status();
    }
    if (event instanceof ReviewApproved approved) {
      return approved.status();
    }
    if (event instanceof TopupResolved resolved) {
      return changed(resolved.status());
    }
    if (event instanceof TopupDelivered delivered) {
      return delivered.status() == null ? OrderStatus.DELIVERED : changed(delivered.status());
    }
    if (event instanceof TopupFailed || event instanceof ReviewRejected) {
      return OrderStatus.FAILED;
    }
    if (event instanceof DeliveredRefunded) {
      return OrderStatus.REFUNDED;
    }
    if (event instanceof TopupPartRefunded refunded) {
      return refunded.status() == null ? OrderStatus.PARTLY_DELIVERED : changed(refunded.status());
    }
    return null;
  }

  /** A bundle's top-up part that ended with more parts to top up leaves the order PROCESSING: no change. */
  private static OrderStatus changed(OrderStatus status) {
    return status == OrderStatus.PROCESSING ? null : status;
  }

  /**
   * Stock allocated (card codes) or a top-up started, and the channel charged: one write per
   * accepted order. {@code status} DELIVERED for card codes, PROCESSING for a top-up (null in
   * events written before top-ups existed: DELIVERED). {@code cost}: what the delivered units cost
   * (their batches' unit costs); null when nothing was delivered yet, and in older events.
   *
   * <p>A card-code order delivered at once is accepted in its channel account's grouped debit
   * ({@code ChannelAccountProtocol.OrderCharge#accepted}), not in its own journal: that record is the
   * acceptance the projections count. When the order entity is first asked about such an order it
   * writes the same acceptance into its own journal with {@code adopted} set, which the projections
   * skip (it was counted already).
   *
   * <p>{@code parts}: for a benefit bundle, which part SKU holds which of {@code slots} (its top-up
   * part, if it has one, with no slots: it is topped up, status PROCESSING until then); null for
   * every other order (and in events written before bundles existed).
   */
  public record OrderAccepted(OrderRequest request, List<SlotRange> slots, Money amount, Instant at, OrderStatus status,
      String review, Money cost, boolean adopted, List<PartSlots> parts) implements Event {
    public OrderAccepted(OrderRequest request, List<SlotRange> slots, Money amount, Instant at, OrderStatus status,
        String review, Money cost) {
      this(request, slots, amount, at, status, review, cost, false, null);
    }

    public OrderAccepted(OrderRequest request, List<SlotRange> slots, Money amount, Instant at) {
      this(request, slots, amount, at, OrderStatus.DELIVERED, null, null);
    }

    /** A bundle's acceptance: {@code slots} are all its parts' slots, {@code parts} say whose. */
    public static OrderAccepted ofBundle(OrderRequest request, List<PartSlots> parts, Money amount, Instant at,
        Money cost) {
      return new OrderAccepted(request, parts.stream().flatMap(p -> p.slots().stream()).toList(), amount, at,
          OrderStatus.DELIVERED, null, cost, false, List.copyOf(parts));
    }

    /**
     * Whether codes were delivered with this acceptance: a card-code order delivered at once, or a
     * bundle (its card parts' codes are in the first answer even while its top-up part runs; a
     * bundle is never held for review).
     */
    public boolean deliversCodes() {
      return parts != null || status == null || status == OrderStatus.DELIVERED;
    }

    /** The same acceptance, written by the order entity from the account's record of it. */
    public OrderAccepted adoptedByOrder() {
      return new OrderAccepted(request, slots, amount, at, status, review, cost, true, parts);
    }
  }

  /**
   * An operator approved an order held by risk control: {@code slots} allocated now (card codes,
   * status DELIVERED), or none (a top-up, status PROCESSING: its driver takes over). {@code cost}:
   * what the units allocated now cost (null for a top-up). {@code parts}: a bundle's parts as
   * allocated now (see {@link OrderAccepted#parts}; with a top-up part the status is PROCESSING and
   * the card parts' codes are delivered); null for every other order and in older events.
   */
  public record ReviewApproved(List<SlotRange> slots, OrderStatus status, String actor, Instant at, Money cost,
      List<PartSlots> parts) implements Event {
    public ReviewApproved(List<SlotRange> slots, OrderStatus status, String actor, Instant at, Money cost) {
      this(slots, status, actor, at, cost, null);
    }

    /** Whether codes were delivered with this approval: a card order's, or a bundle's card parts'. */
    public boolean deliversCodes() {
      return !slots.isEmpty() && (parts != null || status == OrderStatus.DELIVERED);
    }
  }

  /** An order held by risk control ended FAILED, its charge refunded: rejected, or approved too late for stock. */
  public record ReviewRejected(String why, String actor, Instant at) implements Event {}

  /** A delivered order's charge was given back by an operator's decision. */
  public record DeliveredRefunded(String reason, String actor, Instant at) implements Event {}

  public record SupplierAttempted(String supplierId, String supplierOrderId, Instant at) implements Event {}

  /**
   * {@code doubtful}: suppliers to ask again later (see SupplierRouter.Delivered); null in older events.
   * {@code cost}: what the supplier charges for it (its route's unit cost × quantity); null in older events.
   * {@code skuId}: a bundle's top-up part that was topped up (null: the order's own SKU, and in older
   * events); {@code status}: what the order is now: PROCESSING while more of a bundle's top-up parts
   * are to come, PARTLY_DELIVERED when an earlier part's share was refunded (null: DELIVERED).
   */
  public record TopupDelivered(String supplierId, String supplierOrderId, String supplierReference, Instant at,
      List<String> doubtful, Money cost, String skuId, OrderStatus status) implements Event {
    public TopupDelivered(String supplierId, String supplierOrderId, String supplierReference, Instant at,
        List<String> doubtful, Money cost) {
      this(supplierId, supplierOrderId, supplierReference, at, doubtful, cost, null, null);
    }

    /** Whether the order ended with it (not a bundle's top-up part with more parts to come). */
    public boolean ends() {
      return status != OrderStatus.PROCESSING;
    }
  }

  /** Every supplier definitely did not top up, and the charge was refunded. */
  public record TopupFailed(List<String> reasons, Instant at, List<String> doubtful) implements Event {}

  /**
   * A bundle's top-up part failed (every supplier definitely did not top up, or an operator
   * resolved it so: {@code actor}, else null) and, by the bundle's policy, only that part's share of
   * the charge, {@code amount}, was refunded: the bundle is PARTLY_DELIVERED, its codes stay valid;
   * {@code status} PROCESSING while more top-up parts are to come (null: PARTLY_DELIVERED).
   */
  public record TopupPartRefunded(String skuId, Money amount, List<String> reasons, String actor, Instant at,
      List<String> doubtful, OrderStatus status) implements Event {
    public TopupPartRefunded(String skuId, Money amount, List<String> reasons, String actor, Instant at,
        List<String> doubtful) {
      this(skuId, amount, reasons, actor, at, doubtful, null);
    }

    /** Whether the order ended with it (not a part with more parts to come). */
    public boolean ends() {
      return status != OrderStatus.PROCESSING;
    }
  }

  /**
   * An operator resolved a top-up no supplier would decide. {@code status}: what the order is now
   * (for a bundle's top-up part topped up with more parts to come, PROCESSING; after an earlier
   * part's share was refunded, PARTLY_DELIVERED).
   */
  public record TopupResolved(OrderStatus status, String actor, Instant at) implements Event {}

  /** A supplier may have topped up and would not say: the order waits for an operator. */
  public record TopupUndecided(String supplierId, String supplierOrderId, String why, Instant at, Money cost)
      implements Event {}

  /**
   * One of the order's codes was redeemed ({@code amount} of it; {@code remaining} is what is left
   * of its face value after this). Written only while the order is DELIVERED; a refund is refused
   * once any code of the order is redeemed. {@code skuId} and {@code deliveredAt}: for the
   * redemption report (a code is counted under the day it was delivered).
   */
  public record CodeRedeemed(String batchId, long position, String redemptionId, String verifierId, String place,
      Money amount, Money remaining, Instant at, String skuId, Instant deliveredAt) implements Event {}

  // ---- replies

  /**
   * {@code review}: why an operator must look at this order; null when nothing is wrong.
   * {@code callbackUrl}: this order's own callback target, if the channel gave one.
   */
  public record OrderView(String orderId, String channelId, String clientOrderNo, String skuId, int quantity,
      OrderStatus status, Money amount, List<SlotRange> slots, Instant createdAt, String review, String callbackUrl,
      List<PartSlots> parts, Money refunded, List<PartEnd> partEnds) implements CborSerializable {

    public OrderView {
      partEnds = partEnds == null ? List.of() : List.copyOf(partEnds);
    }

    /** The order as its acceptance made it. */
    public static OrderView of(OrderAccepted e) {
      return new OrderView(e.request().orderId(), e.request().channelId(), e.request().clientOrderNo(),
          e.request().skuId(), e.request().quantity(), e.status() == null ? OrderStatus.DELIVERED : e.status(),
          e.amount(), e.slots(), e.at(), e.review(), e.request().callbackUrl(), e.parts(), null, List.of());
    }

    public OrderView with(OrderStatus newStatus, String newReview) {
      return new OrderView(orderId, channelId, clientOrderNo, skuId, quantity, newStatus, amount, slots, createdAt,
          newReview, callbackUrl, parts, refunded, partEnds);
    }

    /** Released from review: with the units allocated on approval (none for a top-up), by part for a bundle. */
    public OrderView approved(List<SlotRange> newSlots, OrderStatus newStatus, List<PartSlots> newParts) {
      return new OrderView(orderId, channelId, clientOrderNo, skuId, quantity, newStatus, amount, List.copyOf(newSlots),
          createdAt, null, callbackUrl, newParts == null ? parts : List.copyOf(newParts), refunded, partEnds);
    }

    /**
     * A bundle's top-up part ended ({@code end}: DELIVERED, or FAILED with {@code share} of the amount
     * given back, else null) and the order is {@code newStatus} now.
     */
    public OrderView partEnded(String partSkuId, OrderStatus end, Money share, OrderStatus newStatus) {
      List<PartEnd> ends = new ArrayList<>(partEnds);
      ends.add(new PartEnd(partSkuId, end));
      Money given = share == null ? refunded : refunded == null ? share : refunded.plus(share);
      return new OrderView(orderId, channelId, clientOrderNo, skuId, quantity, newStatus, amount, slots, createdAt,
          null, callbackUrl, parts, given, ends);
    }

    /** What the channel is still charged for this order: its amount, less what failed parts gave back. */
    public Money charged() {
      return refunded == null ? amount : amount.minus(refunded);
    }

    /** The SKUs this order tops up, in order: its own, or each top-up part of a bundle (those without slots). */
    public List<String> topups() {
      return parts == null ? List.of(skuId)
          : parts.stream().filter(p -> p.slots().isEmpty()).map(PartSlots::skuId).toList();
    }

    /** The next SKU to top up: the first of {@link #topups} that has not ended; empty when none is left. */
    public Optional<String> nextTopup() {
      return topups().stream().filter(sku -> partEnds.stream().noneMatch(e -> e.skuId().equals(sku))).findFirst();
    }

    /** Whether another top-up follows {@code topupSkuId} (a bundle with several top-up parts). */
    public boolean topupAfter(String topupSkuId) {
      List<String> all = topups();
      return all.indexOf(topupSkuId) < all.size() - 1;
    }

    /**
     * The order number suppliers know a top-up of {@code topupSkuId} by: the order id for the first
     * (or only) one, the order id and the part's SKU for a bundle's later top-up parts.
     */
    public String topupKey(String topupSkuId) {
      return topups().indexOf(topupSkuId) <= 0 ? orderId : orderId + "." + topupSkuId;
    }

    /**
     * The share of the charge a failure of this top-up part refunds (that part's policy at
     * acceptance); empty for every other order, and for a bundle whose failure refunds it whole.
     */
    public Optional<Money> shareRefundedOnFailure(String topupSkuId) {
      return parts == null ? Optional.empty() : parts.stream()
          .filter(p -> p.slots().isEmpty() && p.skuId().equals(topupSkuId) && p.refundOnFailure() != null)
          .map(PartSlots::refundOnFailure).findFirst();
    }

    public boolean isBundle() {
      return parts != null;
    }

    /**
     * The units the order holds, by the SKU whose inventory holds them: one SKU, or each card-code
     * part of a bundle (a bundle's top-up part holds none).
     */
    public List<PartSlots> held() {
      return parts != null ? parts.stream().filter(p -> !p.slots().isEmpty()).toList()
          : List.of(new PartSlots(skuId, slots));
    }
  }

  /** How one of a bundle's top-up parts ended: DELIVERED, or FAILED (its share refunded). */
  public record PartEnd(String skuId, OrderStatus status) implements CborSerializable {}

  /**
   * The units one SKU's inventory holds for an order: the order's own SKU, or one part of a bundle.
   * {@code refundOnFailure}: for a bundle's top-up part whose policy is REFUND_PART, its share of the
   * bundle's charge, refunded if it fails; null otherwise (a failure refunds the whole bundle).
   */
  public record PartSlots(String skuId, List<SlotRange> slots, Money refundOnFailure) implements CborSerializable {
    public PartSlots(String skuId, List<SlotRange> slots) {
      this(skuId, slots, null);
    }
  }

  public sealed interface Placement extends CborSerializable {}

  /** {@code created}: this request created the order (201); otherwise it existed (200). */
  public record Placed(OrderView order, boolean created) implements Placement {}

  /** The order number was used for another order: {@code existing} (null where it is not known). */
  public record ContentMismatch(OrderView existing) implements Placement {
    public ContentMismatch() {
      this(null);
    }
  }

  /** Nothing was allocated, charged or stored. */
  public record Refused(RefusalReason reason, String detail) implements Placement {}

  public sealed interface OrderLookup extends CborSerializable {}

  public record OrderFound(OrderView order) implements OrderLookup {}

  public record OrderNotFound() implements OrderLookup {}

  // ---- replies to a top-up's driver

  public sealed interface TopupState extends CborSerializable {}

  /** The order never accepted the top-up: nothing to do but refund any charge. */
  public record TopupNotAccepted() implements TopupState {}

  /**
   * Accepted and not ended: top up {@code skuId} (the order's SKU, or a bundle's next top-up part)
   * under {@code key} (the order number suppliers know it by), asking {@code attempted}'s last
   * supplier first if any.
   */
  public record TopupPending(OrderRequest request, List<String> attempted, String skuId, String key)
      implements TopupState {}

  /**
   * Ended (or waiting for an operator); {@code doubtful} suppliers (of {@code skuId}'s route, the last
   * top-up, known to them by {@code key}) are to be asked once more whether they topped up late.
   */
  public record TopupOver(OrderStatus status, OrderRequest request, List<String> doubtful, String skuId, String key)
      implements TopupState {}

  public record Recorded() implements CborSerializable {}

  public sealed interface OperatorAnswer extends CborSerializable {}

  public record Applied(OrderView order) implements OperatorAnswer {}

  /** The order is not waiting for review (null when there is no such order). */
  public record NotAwaitingReview(OrderView order) implements OperatorAnswer {}

  /** Refused: the order's codes were used ({@code redeemed} of them, the first at {@code firstAt}). */
  public record CodesRedeemed(OrderView order, int redeemed, Instant firstAt) implements OperatorAnswer {}

  // ---- replies to a redemption

  public sealed interface RedeemAnswer extends CborSerializable {}

  /** Redeemed now (or, for a dry run, would be): {@code remaining} of its face value is left. */
  public record Redeemed(String redemptionId, Instant at, Money remaining, String channelId) implements RedeemAnswer {}

  /** Nothing left of the code: its last redemption was at {@code at}, {@code place}. */
  public record AlreadyRedeemed(Instant at, String place, String verifierId) implements RedeemAnswer {}

  /** The code cannot be redeemed, for {@code reason}; {@code detail} is safe to show. */
  public record NotRedeemable(NotRedeemableReason reason, String detail) implements RedeemAnswer {}

  public enum NotRedeemableReason { NEVER_DELIVERED, VOIDED, AMOUNT_TOO_LARGE }

  /** How a top-up ended, as its driver reports it. */
  public sealed interface TopupEnd extends CborSerializable {}

  /** Only a DELIVERED order can be refunded by an operator; this one is not (null: no such order). */
  public record NotRefundable(OrderView order) implements OperatorAnswer {}

  /** {@code cost}: what the supplier charges for it. */
  public record EndDelivered(String supplierId, String supplierOrderId, String supplierReference, List<String> doubtful,
      Money cost) implements TopupEnd {}

  public record EndFailed(List<String> reasons, List<String> doubtful) implements TopupEnd {}

  /** {@code cost}: what the supplier charges should it turn out to have topped up. */
  public record EndUndecided(String supplierId, String supplierOrderId, String why, Money cost) implements TopupEnd {}

  /**
   * What the placement steps came to; {@code review}: why risk control holds the order (status
   * REVIEW); {@code parts}: a bundle's parts (see {@link OrderAccepted#parts}), else null.
   */
  public record FlowOutcome(List<SlotRange> slots, Money amount, RefusalReason refusal, String detail,
      OrderStatus status, String review, Money cost, List<PartSlots> parts) implements CborSerializable {
    public FlowOutcome(List<SlotRange> slots, Money amount, RefusalReason refusal, String detail,
        OrderStatus status, String review, Money cost) {
      this(slots, amount, refusal, detail, status, review, cost, null);
    }

    public FlowOutcome(List<SlotRange> slots, Money amount, RefusalReason refusal, String detail) {
      this(slots, amount, refusal, detail, OrderStatus.DELIVERED, null, null);
    }

    public boolean accepted() {
      return refusal == null;
    }
  }
}
