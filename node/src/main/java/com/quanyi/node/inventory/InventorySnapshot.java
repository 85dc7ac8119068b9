package com.quanyi.node.inventory;

import com.quanyi.node.RecentOrders;
import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.ExpiryRun;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SlotRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a SKU inventory's state (the live state is a mutable {@link StockLedger}).
 * Only counts, cursors and positions: a snapshot never contains a code.
 */
public record InventorySnapshot(
    SkuDefinition definition,
    Instant registeredAt,
    List<BatchSnapshot> batches,
    List<HoldSnapshot> holds,
    Map<String, Integer> buyerUnits,
    List<RecentOrders.Hour> orderNumbers) implements CborSerializable {

  /**
   * {@code pendingExpiries}, {@code expired}, {@code deadBehind}, {@code expiredFree}: the batch's
   * {@link BatchExpiry} (null in snapshots from before the inventory knew expiry: nothing expires).
   */
  public record BatchSnapshot(String batchId, long size, long cursor, List<Long> free, boolean frozen,
      String supplierId, Money unitCost, Instant addedAt, List<ExpiryRun> pendingExpiries, List<ExpiryRun> expired,
      long deadBehind, long expiredFree) implements CborSerializable {}

  /** {@code confirmed}: false in snapshots from before confirmations were kept (reconciled once more). */
  public record HoldSnapshot(String orderId, List<SlotRange> slots, Instant at, String buyer, boolean confirmed)
      implements CborSerializable {}

  static InventorySnapshot of(InventoryState state) {
    if (!state.isRegistered()) {
      return new InventorySnapshot(null, null, List.of(), List.of(), Map.of(), List.of());
    }
    StockLedger ledger = state.ledger();
    return new InventorySnapshot(state.definition(), state.registeredAt(),
        ledger.batches().stream().map(b -> new BatchSnapshot(b.batchId, b.size, b.cursor, List.copyOf(b.free),
            b.frozen, b.supplierId, b.unitCost, b.addedAt, b.expiry.pendingRuns(), b.expiry.expiredRuns(),
            b.expiry.deadBehind(), b.expiry.expiredFree())).toList(),
        ledger.holds().entrySet().stream()
            .map(e -> new HoldSnapshot(e.getKey(), e.getValue().slots(), e.getValue().at(), e.getValue().buyer(),
                ledger.isConfirmed(e.getKey())))
            .toList(),
        Map.copyOf(ledger.buyers().counts()), ledger.numbers().snapshot());
  }

  InventoryState toState(Duration holdWindow) {
    InventoryState state = new InventoryState(holdWindow);
    if (definition == null) {
      return state;
    }
    state.register(definition, registeredAt);
    for (BatchSnapshot b : batches) {
      state.ledger().restoreBatch(b.batchId(), b.size(), b.cursor(), b.free(), b.frozen(), b.supplierId(),
          b.unitCost(), b.addedAt(), BatchExpiry.restored(b.pendingExpiries(), b.expired() == null ? List.of()
              : b.expired(), b.deadBehind(), b.expiredFree(), b.cursor()));
    }
    for (HoldSnapshot h : holds) {
      state.ledger().restoreHold(h.orderId(), h.slots(), h.at(), h.buyer(), h.confirmed());
    }
    state.ledger().restoreBuyers(definition.limitsBuyers(), buyerUnits == null ? Map.of() : buyerUnits);
    if (orderNumbers != null) {
      state.ledger().numbers().restore(orderNumbers);
    }
    return state;
  }
}
