package com.quanyi.node.inventory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * When this incarnation of a SKU last gave each hold to a placement, and under which number. A
 * hold goes to every placement of its order number (a repeat gets the same units), so the
 * reconciliation of a hold whose order was never written can race a repeat that is about to write
 * it: the release it asks for names the hand-out it saw, and is refused once the hold went to
 * another placement since. Kept in memory only: a hold this incarnation never handed out counts as
 * handed out when it is first looked at (after a restart, a placement answered by the previous
 * incarnation is given the full {@code reconcile-after} to finish), and numbers start at random so
 * that one from an earlier incarnation does not match.
 */
final class HandOuts {

  record HandOut(long number, Instant at) {}

  private final Map<String, HandOut> byOrder = new HashMap<>();
  private long next = ThreadLocalRandom.current().nextLong();

  void handedOut(String orderId, Instant at) {
    byOrder.put(orderId, new HandOut(next++, at));
  }

  /** The last hand-out of this order's hold; none yet counts as one now. */
  HandOut last(String orderId, Instant now) {
    return byOrder.computeIfAbsent(orderId, id -> new HandOut(next++, now));
  }

  boolean isLast(String orderId, long number) {
    HandOut last = byOrder.get(orderId);
    return last != null && last.number() == number;
  }

  void forget(String orderId) {
    byOrder.remove(orderId);
  }

  /** Drops the hand-outs of holds that are gone or confirmed. */
  void keepOnly(Predicate<String> unconfirmedHold) {
    byOrder.keySet().removeIf(unconfirmedHold.negate());
  }
}
