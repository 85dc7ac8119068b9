package com.quanyi.node.inventory;

import com.quanyi.node.RecentOrders;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.BatchView;
import com.quanyi.protocol.inventory.ExpiryRun;
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
    BatchExpiry expiry;

    Batch(String batchId, long size, String supplierId, Money unitCost, Instant addedAt, BatchExpiry expiry) {
      this.batchId = batchId;
      this.size = size;
      this.supplierId = supplierId;
      this.unitCost = unitCost;
      this.addedAt = addedAt;
      this.expiry = expiry;
    }

    long remaining() {
      return size - cursor - expiry.deadAhead() + free.size();
    }

    long allocated() {
      return cursor - free.size() - expiry.gone();
    }

    BatchView view() {
      return new BatchView(batchId, size, frozen ? 0 : remaining(), allocated(), frozen, supplierId, unitCost, addedAt,
          expiry.count());
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

  /** Those of these positions whose codes expired, as ranges (null: none). */
  List<SlotRange> expiredAmong(List<SlotRange> slots) {
    List<SlotRange> expired = new ArrayList<>();
    for (SlotRange range : slots) {
      BatchExpiry expiry = batches.get(range.batchId()).expiry;
      long start = -1;
      for (long p = range.from(); p <= range.to(); p++) {
        boolean gone = p < range.to() && expiry.isExpired(p);
        if (gone && start < 0) {
          start = p;
        } else if (!gone && start >= 0) {
          expired.add(new SlotRange(range.batchId(), start, (int) (p - start)));
          start = -1;
        }
      }
    }
    return expired.isEmpty() ? null : expired;
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
    /** Per batch, the next never-allocated position this planner has not planned. */
    private final Map<String, Long> nextFresh = new HashMap<>();
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
        long position = nextFresh.getOrDefault(b.batchId, b.cursor);
        while (need > 0 && position < b.size) {
          long dead = b.expiry.nextDeadFrom(position);
          if (dead == position) {
            position = b.expiry.deadEnd(dead);
            continue;
          }
          int take = (int) Math.min((dead < 0 ? b.size : dead) - position, need);
          slots.add(new SlotRange(b.batchId, position, take));
          position += take;
          need -= take;
        }
        nextFresh.put(b.batchId, position);
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

  /** {@code expiries}: the positions whose codes expire (null or empty: none). */
  void addBatch(String batchId, long size, String supplierId, Money unitCost, Instant at, List<ExpiryRun> expiries) {
    batches.put(batchId, new Batch(batchId, size, supplierId, unitCost, at, new BatchExpiry(expiries)));
  }

  /** Each batch's runs that expire by {@code cutoff}, with how many of their units are not handed out now. */
  List<Expiring> expiringBy(Instant cutoff) {
    List<Expiring> due = new ArrayList<>();
    for (Batch b : batches.values()) {
      for (ExpiryRun run : b.expiry.due(cutoff)) {
        due.add(new Expiring(b.batchId, run, BatchExpiry.unsold(run, b.cursor, b.free)));
      }
    }
    return due;
  }

  record Expiring(String batchId, ExpiryRun run, long unsold) {}

  /** The run's codes expired: what of it is not handed out leaves the stock. */
  void expire(String batchId, ExpiryRun run) {
    Batch b = batches.get(batchId);
    b.cursor = b.expiry.expire(run, b.cursor, b.free);
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
        b.cursor = b.expiry.skipped(b.cursor + range.count());
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
        if (p >= b.cursor || b.free.contains(p)) {
          throw new IllegalStateException("released a position that was not allocated in batch " + b.batchId);
        }
        if (b.expiry.isExpired(p)) {
          b.expiry.givenBackExpired();
        } else {
          b.free.add(p);
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
      Money unitCost, Instant addedAt, BatchExpiry expiry) {
    Batch b = new Batch(batchId, size, supplierId, unitCost, addedAt, expiry);
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
