package com.quanyi.node.inventory;

import java.util.HashMap;
import java.util.Map;

/**
 * Units of one SKU each buyer holds, for its {@code maxPerBuyer}. Kept only while the SKU has a
 * limit (switching the limit off forgets the counts; switching it on starts counting from then),
 * so an unlimited flash-sale SKU does not carry a map of every buyer. Bounded by the number of
 * buyers who bought: an entry exists only while its count is above zero.
 */
final class BuyerTally {

  private final Map<String, Integer> units = new HashMap<>();

  int held(String buyer) {
    return buyer == null ? 0 : units.getOrDefault(buyer, 0);
  }

  void add(String buyer, int count) {
    if (buyer != null) {
      units.merge(buyer, count, Integer::sum);
    }
  }

  void remove(String buyer, int count) {
    if (buyer != null) {
      units.computeIfPresent(buyer, (b, held) -> held > count ? held - count : null);
    }
  }

  void clear() {
    units.clear();
  }

  Map<String, Integer> counts() {
    return units;
  }
}
