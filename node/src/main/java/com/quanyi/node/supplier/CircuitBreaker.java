package com.quanyi.node.supplier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One supplier's circuit, in memory on each node: {@code failuresToOpen} consecutive failures open
 * it; after {@code openFor} one probe is let through (half-open); the probe's success closes it,
 * its failure opens it again. Thread-safe: adapters answer on HTTP client threads.
 */
public final class CircuitBreaker {

  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final int failuresToOpen;
  private final Duration openFor;
  private final Clock clock;
  private int consecutiveFailures;
  private Instant openedAt;
  private boolean probeInFlight;

  public CircuitBreaker(int failuresToOpen, Duration openFor, Clock clock) {
    if (failuresToOpen < 1) {
      throw new IllegalArgumentException("failuresToOpen must be at least 1");
    }
    this.failuresToOpen = failuresToOpen;
    this.openFor = openFor;
    this.clock = clock;
  }

  public synchronized State state() {
    if (openedAt == null) {
      return State.CLOSED;
    }
    return clock.instant().isBefore(openedAt.plus(openFor)) ? State.OPEN : State.HALF_OPEN;
  }

  /** Whether a request may go to the supplier now; in half-open, only the one probe may. */
  public synchronized boolean tryAcquire() {
    State state = state();
    if (state == State.CLOSED) {
      return true;
    }
    if (state == State.HALF_OPEN && !probeInFlight) {
      probeInFlight = true;
      return true;
    }
    return false;
  }

  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    openedAt = null;
    probeInFlight = false;
  }

  public synchronized void onFailure() {
    consecutiveFailures++;
    if (probeInFlight || consecutiveFailures >= failuresToOpen) {
      openedAt = clock.instant();
    }
    probeInFlight = false;
  }

  public synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }
}
