package com.quanyi.node.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepTimesTest {

  @Test
  void everyValueFallsInABucketThatHoldsItWithin4Percent() {
    for (long micros = 0; micros < 70_000_000L; micros = micros < 100 ? micros + 1 : micros * 21 / 20) {
      int index = StepTimes.index(micros);
      long upper = StepTimes.upperBound(index);
      assertTrue(upper >= micros, micros + " above its bucket's bound " + upper);
      assertTrue(upper <= Math.max(micros, 1) * 1.04 + 1, micros + " rounded up to " + upper);
      if (index > 0) {
        assertTrue(StepTimes.upperBound(index - 1) < micros, micros + " belongs in a lower bucket");
      }
    }
  }

  @Test
  void percentilesOfAKnownSpread() {
    StepTimes times = new StepTimes();
    for (int i = 1; i <= 1000; i++) {
      times.record(i * 1000L);
    }
    StepTimes.Summary summary = times.summary();
    assertEquals(1000, summary.count());
    assertTrue(summary.p50() >= 500 && summary.p50() <= 520, "p50 " + summary.p50());
    assertTrue(summary.p99() >= 990 && summary.p99() <= 1024, "p99 " + summary.p99());
    assertTrue(summary.max() >= 1000 && summary.max() <= 1040, "max " + summary.max());
    times.reset();
    assertEquals(0, times.summary().count());
  }
}
