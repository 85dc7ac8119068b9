package com.quanyi.node.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.supplier.CircuitBreaker.State;
import com.quanyi.node.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  /** A clock the test moves. */
  @Test
  void opensAfterConsecutiveFailuresProbesOnceAndClosesOnSuccess() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
    CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), clock);
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();
    assertEquals(State.CLOSED, breaker.state(), "a success in between resets the count");
    breaker.onFailure();
    assertEquals(State.OPEN, breaker.state());
    assertFalse(breaker.tryAcquire());

    clock.advance(Duration.ofSeconds(10));
    assertEquals(State.HALF_OPEN, breaker.state());
    assertTrue(breaker.tryAcquire(), "one probe");
    assertFalse(breaker.tryAcquire(), "only one probe at a time");
    breaker.onFailure();
    assertEquals(State.OPEN, breaker.state(), "a failed probe opens it again");

    clock.advance(Duration.ofSeconds(10));
    assertTrue(breaker.tryAcquire());
    breaker.onSuccess();
    assertEquals(State.CLOSED, breaker.state());
    assertTrue(breaker.tryAcquire() && breaker.tryAcquire());
  }
}
