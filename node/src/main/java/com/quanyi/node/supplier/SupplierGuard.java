package com.quanyi.node.supplier;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What keeps one supplier from being asked too much: its circuit and its concurrency limit. Both
 * are per node; a cluster of N nodes may send N × {@code maxConcurrent} at once.
 */
public final class SupplierGuard {

  private final CircuitBreaker breaker;
  private final int maxConcurrent;
  private final AtomicInteger inFlight = new AtomicInteger();

  public SupplierGuard(CircuitBreaker breaker, int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1");
    }
    this.breaker = breaker;
    this.maxConcurrent = maxConcurrent;
  }

  /** Takes a slot if the circuit lets a request through and the limit is not reached. */
  public boolean tryAcquire() {
    if (inFlight.incrementAndGet() > maxConcurrent) {
      inFlight.decrementAndGet();
      return false;
    }
    if (!breaker.tryAcquire()) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Takes a slot whatever the circuit and the limit say: for an attempt that must be resolved. */
  public void acquireRegardless() {
    inFlight.incrementAndGet();
  }

  public void release(boolean healthy) {
    inFlight.decrementAndGet();
    if (healthy) {
      breaker.onSuccess();
    } else {
      breaker.onFailure();
    }
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }
}
