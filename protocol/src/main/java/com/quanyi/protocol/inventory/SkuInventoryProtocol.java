package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the SKU inventory entity (one sharded persistent actor per SKU): its commands,
 * the events it persists, and its replies. The behavior is {@code node/…/inventory/SkuInventory}.
 *
 * <p>Operator commands carry {@code actor}, the admin principal's name, which the events keep:
 * the journal is the audit trail of who changed what, when.
 */
public final class SkuInventoryProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "SkuInventory");

  /** Most units one allocation may ask for (the API's order quantity limit). */
  public static final int MAX_UNITS_PER_ALLOCATION = 100;

  private SkuInventoryProtocol() {}

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node, never sent by another party. */
  public non-sealed interface Internal extends Command {}

  /** Registers the SKU in the catalog. */
  public record RegisterSku(SkuDefinition definition, String actor, ActorRef<Registration> replyTo)
      implements Command {}

  public record UpdateSku(SkuPatch patch, String actor, ActorRef<Lookup> replyTo) implements Command {}

  public record GetSku(ActorRef<Lookup> replyTo) implements Command {}

  /**
   * Makes an imported, encrypted code batch allocatable: positions {@code [0, units)}. Idempotent by
   * batch id. {@code expiries}: the positions whose codes expire, and when (none: none expire); a
   * position is never allocated once its code's expiry is within {@code quanyi.inventory.expiry-margin}.
   */
  public record AddBatch(String batchId, long units, String supplierId, Money unitCost, List<ExpiryRun> expiries,
      String actor, ActorRef<BatchLookup> replyTo) implements Command {
    public AddBatch(String batchId, long units, String supplierId, Money unitCost, String actor,
        ActorRef<BatchLookup> replyTo) {
      this(batchId, units, supplierId, unitCost, List.of(), actor, replyTo);
    }
  }

  public record GetBatch(String batchId, ActorRef<BatchLookup> replyTo) implements Command {}

  public record FreezeBatch(String batchId, String actor, ActorRef<BatchLookup> replyTo) implements Command {}

  public record UnfreezeBatch(String batchId, String actor, ActorRef<BatchLookup> replyTo) implements Command {}

  /**
   * Allocates {@code units} to an order. Asking again for the same order id answers with the first
   * allocation (within the idempotency window) instead of allocating twice. {@code buyer} (channel
   * and the channel's user id, or null) is counted against the SKU's {@code maxPerBuyer}.
   */
  public record Allocate(String orderId, int units, String buyer, ActorRef<Allocation> replyTo) implements Command {
    public Allocate(String orderId, int units, ActorRef<Allocation> replyTo) {
      this(orderId, units, null, replyTo);
    }
  }

  /**
   * Whether {@link Allocate} would allocate now, changing nothing: lets an order be refused for
   * stock or the buyer's limit before anything costlier (risk profiles) is asked. An order holding
   * units already is {@link Available}.
   */
  public record Peek(String orderId, int units, String buyer, ActorRef<Allocation> replyTo) implements Command {}

  /**
   * Returns an order's units to stock (compensation); a no-op for an order holding nothing. With
   * {@code handOut} (from {@code Reconcile}), only if the hold went to no placement since that
   * hand-out ({@link HandedOutAgain} otherwise): a repeat of the order may be about to write it.
   */
  public record Release(String orderId, Long handOut, ActorRef<Releasing> replyTo) implements Command {
    public Release(String orderId, ActorRef<Releasing> replyTo) {
      this(orderId, null, replyTo);
    }
  }

  /**
   * The order holding these units has persisted them: stop reconciling it. Written in groups
   * ({@link AllocationsConfirmed}), so that after a restart only the holds whose orders were in
   * flight are reconciled, not every hold of the last minutes.
   */
  public record ConfirmAllocation(String orderId) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record SkuRegistered(SkuDefinition definition, String actor, Instant at) implements Event {}

  public record SkuUpdated(SkuDefinition definition, String actor, Instant at) implements Event {}

  /** {@code expiries}: see {@link AddBatch}; null in events written before expiry was known to the inventory. */
  public record BatchAdded(String batchId, long units, String supplierId, Money unitCost, String actor, Instant at,
      List<ExpiryRun> expiries) implements Event {
    public BatchAdded(String batchId, long units, String supplierId, Money unitCost, String actor, Instant at) {
      this(batchId, units, supplierId, unitCost, actor, at, null);
    }
  }

  /**
   * The codes of {@code run} reached their expiry (less the margin): those not handed out
   * ({@code unsold} of them, free or never allocated) leave the stock for good, and a unit of the run
   * given back later does not return to it.
   */
  public record CodesExpired(String batchId, ExpiryRun run, long unsold, Instant at) implements Event {}

  public record BatchFrozen(String batchId, String actor, Instant at) implements Event {}

  public record BatchUnfrozen(String batchId, String actor, Instant at) implements Event {}

  /** One write for a whole group of orders: that is the group commit. */
  public record UnitsAllocated(List<OrderSlots> allocations, Instant at) implements Event {}

  /**
   * {@code expired}: those of {@code slots} whose codes had expired meanwhile, and so left the stock
   * instead of returning to it (null in older events, and when none had).
   */
  public record UnitsReleased(String orderId, List<SlotRange> slots, Instant at, List<SlotRange> expired)
      implements Event {
    public UnitsReleased(String orderId, List<SlotRange> slots, Instant at) {
      this(orderId, slots, at, null);
    }
  }

  /** Orders that confirmed their units, one write for all received within a second. */
  public record AllocationsConfirmed(List<String> orderIds, Instant at) implements Event {}

  /** Available stock fell below the SKU's low-stock threshold (the hook for alerts and replenishment). */
  public record LowStockReached(long available, long threshold, Instant at) implements Event {}

  /** {@code buyer} is null for allocations made before buyers were counted, or without a buyer. */
  public record OrderSlots(String orderId, List<SlotRange> slots, String buyer) implements CborSerializable {}

  // ---- replies

  /** What a SKU looks like from outside: its definition, live stock and when it was registered. */
  public record SkuView(SkuDefinition definition, StockView stock, Instant registeredAt) implements CborSerializable {}

  public sealed interface Registration extends CborSerializable {}

  public record Registered(SkuView sku) implements Registration {}

  /** A SKU with this id exists already; registering is not an update. */
  public record AlreadyRegistered(SkuView sku) implements Registration {}

  public sealed interface Lookup extends CborSerializable {}

  public record Found(SkuView sku) implements Lookup {}

  public record NotFound() implements Lookup, BatchLookup {}

  /** The change is not valid for this SKU (the reason is safe to show to the operator). */
  public record Invalid(String reason) implements Lookup, BatchLookup {}

  public sealed interface BatchLookup extends CborSerializable {}

  public record BatchFound(BatchView batch, StockView skuStock) implements BatchLookup {}

  public sealed interface Allocation extends CborSerializable {}

  /**
   * {@code cost}: what the allocated units cost, by their batches' unit costs (for the sales ledger).
   * {@code repeat}: the units were held for this order id already (an earlier request, or another
   * placement of the same order number racing this one): this request allocated nothing, and must
   * never release them.
   */
  public record Allocated(String orderId, List<SlotRange> slots, Money cost, boolean repeat) implements Allocation {
    public Allocated(String orderId, List<SlotRange> slots, Money cost) {
      this(orderId, slots, cost, false);
    }

    public int units() {
      return slots.stream().mapToInt(SlotRange::count).sum();
    }
  }

  public record OutOfStock(long available) implements Allocation {}

  /**
   * Units are held for this order id already, but another number of them: the same order number
   * used for different content. Nothing was allocated.
   */
  public record HeldOtherwise(String orderId) implements Allocation {}

  /** The answer to {@link Peek}: an allocation would succeed now (nothing was allocated). */
  public record Available() implements Allocation {}

  /** The buyer holds {@code held} units of this SKU already; one more order would pass {@code maxPerBuyer}. */
  public record BuyerLimitReached(int held, int maxPerBuyer) implements Allocation {}

  /**
   * The SKU is a listed benefit bundle: it holds no units of its own, and an order for it
   * allocates from each of these parts (their units × the order's quantity), all or none.
   * Answered to {@link Allocate} and {@link Peek} alike; nothing was allocated.
   */
  public record BundleOf(List<BundlePart> parts) implements Allocation {}

  /** Not registered, unlisted, or not a card-code SKU. */
  public record SkuUnavailable(String reason) implements Allocation {}

  /** Too many allocations are waiting on this SKU; nothing was allocated, retry. */
  public record AllocationOverloaded() implements Allocation {}

  public sealed interface Releasing extends CborSerializable {}

  public record Released(String orderId, int units) implements Releasing {}

  public record NothingToRelease(String orderId) implements Releasing {}

  /** Not released: a placement of the order was given the hold after the hand-out named. */
  public record HandedOutAgain(String orderId) implements Releasing {}
}
