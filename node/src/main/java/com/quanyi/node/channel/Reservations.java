package com.quanyi.node.channel;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Money and quota units held for orders between their reservation and their debit. In memory only:
 * a reservation is a promise to an order in flight, never a fact; after a restart the orders it
 * served are either charged (a fact) or refused. Plain Java.
 */
final class Reservations {

  record Held(long amount, String skuId, int units, long expiresAtMillis) {}

  /** Oldest first: every reservation lives as long, so this is also expiry order. */
  private final LinkedHashMap<String, Held> byOrder = new LinkedHashMap<>();
  private final Map<String, Long> unitsBySku = new HashMap<>();
  private long amount;

  void hold(String orderId, long amount, String skuId, int units, long expiresAtMillis) {
    release(orderId);
    byOrder.put(orderId, new Held(amount, skuId, units, expiresAtMillis));
    this.amount += amount;
    unitsBySku.merge(skuId, (long) units, Long::sum);
  }

  void release(String orderId) {
    Held held = byOrder.remove(orderId);
    if (held != null) {
      amount -= held.amount();
      unitsBySku.computeIfPresent(held.skuId(), (sku, units) -> units > held.units() ? units - held.units() : null);
    }
  }

  void expire(long nowMillis) {
    Iterator<Map.Entry<String, Held>> oldestFirst = byOrder.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      Map.Entry<String, Held> next = oldestFirst.next();
      if (next.getValue().expiresAtMillis() >= nowMillis) {
        return;
      }
      oldestFirst.remove();
      Held held = next.getValue();
      amount -= held.amount();
      unitsBySku.computeIfPresent(held.skuId(), (sku, units) -> units > held.units() ? units - held.units() : null);
    }
  }

  long amount() {
    return amount;
  }

  long units(String skuId) {
    return skuId == null ? 0 : unitsBySku.getOrDefault(skuId, 0L);
  }

  Optional<Held> of(String orderId) {
    return Optional.ofNullable(byOrder.get(orderId));
  }

  int size() {
    return byOrder.size();
  }
}
