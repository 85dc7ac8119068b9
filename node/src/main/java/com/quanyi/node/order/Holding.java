package com.quanyi.node.order;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderProcessProtocol.PartSlots;
import java.util.List;
import java.util.Objects;

/**
 * What one placement of a card-code order got from the inventories: one SKU's allocation, or one
 * per part of a benefit bundle (each part's inventory holds the order's units under the order id).
 */
record Holding(List<Held> held, boolean bundle) {

  /** The units one SKU's inventory allocated to this placement. */
  record Held(String skuId, Allocated allocated) {}

  static Holding of(String skuId, Allocated allocated) {
    return new Holding(List.of(new Held(skuId, allocated)), false);
  }

  static Holding ofBundle(List<Held> parts) {
    return new Holding(List.copyOf(parts), true);
  }

  List<SlotRange> slots() {
    return held.stream().flatMap(h -> h.allocated().slots().stream()).toList();
  }

  List<PartSlots> parts() {
    return held.stream().map(h -> new PartSlots(h.skuId(), h.allocated().slots())).toList();
  }

  /** What the units cost, by their batches' unit costs: a bundle costs what its parts cost. */
  Money cost() {
    List<Money> costs = held.stream().map(h -> h.allocated().cost()).toList();
    if (costs.stream().anyMatch(Objects::isNull)) {
      return null;
    }
    return costs.stream().reduce(Money::plus).orElseThrow();
  }

  /**
   * The parts this placement allocated itself and the written order does not stand on: those it
   * must give back. A part held for the order already ({@code repeat}) is another placement's.
   */
  List<Held> notIn(OrderView existing) {
    return held.stream().filter(h -> !h.allocated().repeat())
        .filter(h -> existing.held().stream().noneMatch(p -> p.skuId().equals(h.skuId())
            && p.slots().equals(h.allocated().slots())))
        .toList();
  }

  /** The parts this placement allocated itself (not held for the order already). */
  List<Held> allocatedHere() {
    return held.stream().filter(h -> !h.allocated().repeat()).toList();
  }
}
