package com.quanyi.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * When a Cassandra session last had a request answered, and when one last failed for want of a
 * node to send it to (the driver's NoNodeAvailableException), as {@link WriteGuardedThrottler} sees
 * every request end. {@link CassandraPoolWatchdog} reads it: a session whose requests all fail so
 * while the others' work is the stuck driver it exists for, whatever the driver says of its pools.
 * Keyed by the driver's session name, which is unique in a process.
 */
final class SessionOutcomes {

  private static final Map<String, SessionOutcomes> BY_SESSION = new ConcurrentHashMap<>();

  private volatile long answeredAt;
  private volatile long noNodeAt;
  private final LongAdder noNodeFailures = new LongAdder();

  private SessionOutcomes(long now) {
    this.answeredAt = now;
    this.noNodeAt = now;
  }

  static SessionOutcomes of(String sessionName) {
    return BY_SESSION.computeIfAbsent(sessionName, name -> new SessionOutcomes(System.nanoTime()));
  }

  void answered(long now) {
    answeredAt = now;
  }

  void noNode(long now) {
    noNodeAt = now;
    noNodeFailures.increment();
  }

  /** Requests failed for want of a node so far. */
  long noNodeFailures() {
    return noNodeFailures.sum();
  }

  long answeredAt() {
    return answeredAt;
  }

  /**
   * Nanoseconds since the last answer, if a request failed for want of a node since then, within
   * {@code recent} of now (else 0: nothing was tried lately to go by). Within a second was too
   * narrow: a stuck node's projections retry with a growing back-off, seconds apart.
   */
  long failingWithoutNodeFor(long now, long recent) {
    long lastNoNode = noNodeAt;
    long lastAnswer = answeredAt;
    return lastNoNode - lastAnswer > 0 && now - lastNoNode < recent ? now - lastAnswer : 0;
  }
}
