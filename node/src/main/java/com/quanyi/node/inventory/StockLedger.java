package com.quanyi.node.inventory;

import com.quanyi.node.RecentOrders;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.BatchView;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.inventory.StockView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The stock of one SKU, small whatever the number of codes: each batch is a range of vault
 * positions with a cursor (everything below it was handed out) and a small set of positions given
 * back by released orders. It never holds a code.
 *
 * <p>Plain Java, no Pekko: the entity decides with {@link #planner()} (which changes nothing) and
 * changes the ledger only by applying the facts it persisted. Mutable on purpose, so a group of
 * hundreds of allocations is not a copy of the whole state per event; only the entity's event
 * handler mutates it.
 */
final class StockLedger {

  private final Map<String, Batch> batches = new LinkedHashMap<>();
  /** Allocations kept for idempotency, oldest first; forgotten after the hold window. */
  private final LinkedHashMap<String, Hold> holds = new LinkedHashMap<>();
  private final Duration holdWindow;
  /** Orders that confirmed they persisted their units (as written, plus those not yet written). */
  private final java.util.Set<String> confirmed = new java.util.HashSet<>();
  private final BuyerTally buyers = new BuyerTally();
  /** Every order number that held units within the last day, after its hold is forgotten (API.md: 24 hours). */
  private final RecentOrders numbers = new RecentOrders(RecentOrders.A_DAY);
  /** Whether {@link #buyers} counts: only while the SKU limits units per buyer. */
  private boolean countingBuyers;

  StockLedger(Duration holdWindow) {
    this.holdWindow = holdWindow;
  }

  static final class Batch {
    final String batchId;
    final long size;
    final String supplierId;
    final Money unitCost;
    final Instant addedAt;
    long cursor;
    boolean frozen;
    final TreeSet<Long> free = new TreeSet<>();

    Batch(String batchId, long size, String supplierId, Money unitCost, Instant addedAt) {
      this.batchId = batchId;
      this.size = size;
      this.supplierId = supplierId;
      this.unitCost = unitCost;
      this.addedAt = addedAt;
    }

    long remaining() {
      return size - cursor + free.size();
    }

    long allocated() {
      return cursor - free.size();
    }

    BatchView view() {
      return new BatchView(batchId, size, frozen ? 0 : remaining(), allocated(), frozen, supplierId, unitCost, addedAt);
    }
  }

  record Hold(List<SlotRange> slots, Instant at, String buyer) {}

  // ---- queries

  long available() {
    long total = 0;
    for (Batch b : batches.values()) {
      if (!b.frozen) {
        total += b.remaining();
      }
    }
    return total;
  }

  StockView view() {
    long available = 0;
    long allocated = 0;
    long frozen = 0;
    for (Batch b : batches.values()) {
      allocated += b.allocated();
      if (b.frozen) {
        frozen += b.remaining();
      } else {
        available += b.remaining();
      }
    }
    return new StockView(available, allocated, frozen);
  }

  Optional<Batch> batch(String batchId) {
    return Optional.ofNullable(batches.get(batchId));
  }

  /** What these units cost by their batches' unit costs. */
  Money costOf(List<SlotRange> slots) {
    Money cost = null;
    for (SlotRange range : slots) {
      Money part = batches.get(range.batchId()).unitCost.times(range.count());
      cost = cost == null ? part : cost.plus(part);
    }
    return cost;
  }

  Optional<List<SlotRange>> heldBy(String orderId) {
    return Optional.ofNullable(holds.get(orderId)).map(Hold::slots);
  }

  /** True when this is news: the order holds units here and had not confirmed them. */
  boolean confirm(String orderId) {
    return holds.containsKey(orderId) && confirmed.add(orderId);
  }

  boolean isConfirmed(String orderId) {
    return confirmed.contains(orderId);
  }

  /** Orders holding units since before {@code cutoff} that never confirmed them, oldest first. */
  java.util.List<String> unconfirmedSince(Instant cutoff, int limit) {
    java.util.List<String> orders = new ArrayList<>();
    for (Map.Entry<String, Hold> hold : holds.entrySet()) {
      if (orders.size() == limit || !hold.getValue().at().isBefore(cutoff)) {
        break;
      }
      if (!confirmed.contains(hold.getKey())) {
        orders.add(hold.getKey());
      }
    }
    return orders;
  }

  /** Units this buyer holds, as far as the SKU counts them (see {@link BuyerTally}). */
  int heldByBuyer(String buyer) {
    return buyers.held(buyer);
  }

  BuyerTally buyers() {
    return buyers;
  }

  boolean countsBuyers() {
    return countingBuyers;
  }

  Collection<Batch> batches() {
    return batches.values();
  }

  Map<String, Hold> holds() {
    return holds;
  }

  // ---- decisions

  Planner planner() {
    return new Planner();
  }

  /**
   * Plans allocations against the ledger as it is plus what this planner already planned; the
   * ledger itself does not change until the resulting event is applied. Oldest batch first;
   * within a batch, given-back positions before fresh ones.
   */
  final class Planner {
    private final Map<String, Integer> freeTaken = new HashMap<>();
    private final Map<String, Long> cursorTaken = new HashMap<>();
    private long planned;
    private final long availableAtStart = available();

    Optional<List<SlotRange>> plan(int units) {
      if (units < 1 || availableAtStart - planned < units) {
        return Optional.empty();
      }
      List<SlotRange> slots = new ArrayList<>();
      int need = units;
      for (Batch b : batches.values()) {
        if (need == 0) {
          break;
        }
        if (b.frozen) {
          continue;
        }
        int skip = freeTaken.getOrDefault(b.batchId, 0);
        if (skip < b.free.size()) {
          Iterator<Long> positions = b.free.iterator();
          for (int i = 0; i < skip; i++) {
            positions.next();
          }
          int taken = 0;
          while (need > 0 && positions.hasNext()) {
            slots.add(new SlotRange(b.batchId, positions.next(), 1));
            taken++;
            need--;
          }
          freeTaken.put(b.batchId, skip + taken);
        }
        long fromCursor = cursorTaken.getOrDefault(b.batchId, 0L);
        long fresh = b.size - b.cursor - fromCursor;
        if (need > 0 && fresh > 0) {
          int take = (int) Math.min(fresh, need);
          slots.add(new SlotRange(b.batchId, b.cursor + fromCursor, take));
          cursorTaken.put(b.batchId, fromCursor + take);
          need -= take;
        }
      }
      if (need > 0) {
        throw new IllegalStateException("available count and batches disagree");
      }
      planned += units;
      return Optional.of(slots);
    }

    long availableAfter() {
      return availableAtStart - planned;
    }
  }

  // ---- facts

  void addBatch(String batchId, long size, String supplierId, Money unitCost, Instant at) {
    batches.put(batchId, new Batch(batchId, size, supplierId, unitCost, at));
  }

  void setFrozen(String batchId, boolean frozen) {
    batches.get(batchId).frozen = frozen;
  }

  void countBuyers(boolean counting) {
    if (!counting) {
      buyers.clear();
    }
    countingBuyers = counting;
  }

  void allocate(String orderId, List<SlotRange> slots, String buyer, Instant at) {
    for (SlotRange range : slots) {
      Batch b = batches.get(range.batchId());
      if (range.from() == b.cursor) {
        b.cursor += range.count();
      } else {
        for (long p = range.from(); p < range.to(); p++) {
          if (!b.free.remove(p)) {
            throw new IllegalStateException("position allocated twice in batch " + b.batchId);
          }
        }
      }
    }
    holds.put(orderId, new Hold(List.copyOf(slots), at, buyer));
    numbers.add(orderId, at);
    if (countingBuyers) {
      buyers.add(buyer, slots.stream().mapToInt(SlotRange::count).sum());
    }
    forgetHoldsBefore(at.minus(holdWindow));
  }

  /** Gives an order's positions back; returns the units released. */
  int release(String orderId) {
    confirmed.remove(orderId);
    Hold hold = holds.remove(orderId);
    if (hold == null) {
      return 0;
    }
    int units = 0;
    for (SlotRange range : hold.slots()) {
      Batch b = batches.get(range.batchId());
      for (long p = range.from(); p < range.to(); p++) {
        if (p >= b.cursor || !b.free.add(p)) {
          throw new IllegalStateException("released a position that was not allocated in batch " + b.batchId);
        }
        units++;
      }
    }
    if (countingBuyers) {
      buyers.remove(hold.buyer(), units);
    }
    return units;
  }

  private void forgetHoldsBefore(Instant cutoff) {
    Iterator<Map.Entry<String, Hold>> oldestFirst = holds.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      Map.Entry<String, Hold> hold = oldestFirst.next();
      if (hold.getValue().at().isBefore(cutoff)) {
        confirmed.remove(hold.getKey());
        oldestFirst.remove();
      } else {
        return;
      }
    }
  }

  /** Restores a batch from a snapshot. */
  void restoreBatch(String batchId, long size, long cursor, List<Long> free, boolean frozen, String supplierId,
      Money unitCost, Instant addedAt) {
    Batch b = new Batch(batchId, size, supplierId, unitCost, addedAt);
    b.cursor = cursor;
    b.frozen = frozen;
    b.free.addAll(free);
    batches.put(batchId, b);
  }

  void restoreHold(String orderId, List<SlotRange> slots, Instant at, String buyer, boolean wasConfirmed) {
    holds.put(orderId, new Hold(slots, at, buyer));
    if (wasConfirmed) {
      confirmed.add(orderId);
    }
  }

  /** Whether this order number held units within the last day, however long ago its hold was forgotten. */
  boolean numberUsed(String orderId) {
    return holds.containsKey(orderId) || numbers.contains(orderId);
  }

  RecentOrders numbers() {
    return numbers;
  }

  void restoreBuyers(boolean counting, java.util.Map<String, Integer> counts) {
    countingBuyers = counting;
    counts.forEach(buyers::add);
  }
}
