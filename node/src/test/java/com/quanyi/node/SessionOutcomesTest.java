package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionOutcomesTest {

  private static final long S = 1_000_000_000L;

  @Test
  void requestsFailingForWantOfANodeSinceTheLastAnswerAreCountedFromThatAnswer() {
    SessionOutcomes outcomes = SessionOutcomes.of("outcomes-test");
    long start = System.nanoTime();
    outcomes.answered(start);
    assertEquals(0, outcomes.failingWithoutNodeFor(start + S), "answered, nothing failed since");
    outcomes.noNode(start + 2 * S);
    outcomes.noNode(start + 20 * S);
    assertEquals(20 * S + S / 2, outcomes.failingWithoutNodeFor(start + 20 * S + S / 2));
    assertEquals(0, outcomes.failingWithoutNodeFor(start + 22 * S), "no request for two seconds: nothing to go by");
    outcomes.answered(start + 23 * S);
    assertEquals(0, outcomes.failingWithoutNodeFor(start + 23 * S + 1));
  }
}
