package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionOutcomesTest {

  private static final long S = 1_000_000_000L;
  private static final long RECENT = 15 * S;

  @Test
  void requestsFailingForWantOfANodeSinceTheLastAnswerAreCountedFromThatAnswer() {
    SessionOutcomes outcomes = SessionOutcomes.of("outcomes-test");
    long start = System.nanoTime();
    outcomes.answered(start);
    assertEquals(0, outcomes.failingWithoutNodeFor(start + S, RECENT), "answered, nothing failed since");
    outcomes.noNode(start + 2 * S);
    outcomes.noNode(start + 20 * S);
    assertEquals(20 * S + S / 2, outcomes.failingWithoutNodeFor(start + 20 * S + S / 2, RECENT));
    assertEquals(24 * S, outcomes.failingWithoutNodeFor(start + 24 * S, RECENT), "the last failure 4 s ago");
    assertEquals(0, outcomes.failingWithoutNodeFor(start + 36 * S, RECENT), "none for 16 s: nothing to go by");
    outcomes.answered(start + 37 * S);
    assertEquals(0, outcomes.failingWithoutNodeFor(start + 37 * S + 1, RECENT));
  }
}
