package com.quanyi.node.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.risk.RiskWindows.Distinct;
import com.quanyi.protocol.risk.RiskRule.Measure;
import com.quanyi.protocol.risk.RiskRule.Window;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RiskWindowsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void aMinuteWindowForgetsAnOrderBetween55And60SecondsLater() {
    RiskWindows windows = new RiskWindows();
    windows.add(T0, 2, 1000, "b1", null, null);
    assertEquals(1, windows.measure(Measure.ORDERS, Window.MINUTE, T0.plusSeconds(54)));
    assertEquals(2, windows.measure(Measure.UNITS, Window.MINUTE, T0.plusSeconds(54)));
    assertEquals(0, windows.measure(Measure.ORDERS, Window.MINUTE, T0.plusSeconds(60)));
    // The hour and day windows still count it.
    assertEquals(1, windows.measure(Measure.ORDERS, Window.HOUR, T0.plusSeconds(60)));
    assertEquals(1000, windows.measure(Measure.AMOUNT, Window.DAY, T0.plusSeconds(60)));
  }

  @Test
  void countsAcrossABucketBoundarySumBothSides() {
    RiskWindows windows = new RiskWindows();
    windows.add(T0.plusMillis(4_999), 1, 10, "b1", null, null);
    windows.add(T0.plusMillis(5_000), 1, 10, "b1", null, null);
    assertEquals(2, windows.measure(Measure.ORDERS, Window.MINUTE, T0.plusSeconds(6)));
    // One hour later the hour window has let both go; the day keeps them until a day has passed.
    assertEquals(0, windows.measure(Measure.ORDERS, Window.HOUR, T0.plus(Duration.ofMinutes(61))));
    assertEquals(2, windows.measure(Measure.ORDERS, Window.DAY, T0.plus(Duration.ofHours(23))));
    assertEquals(0, windows.measure(Measure.ORDERS, Window.DAY, T0.plus(Duration.ofHours(25))));
  }

  @Test
  void aRingBucketReusedAfterAFullTurnStartsFromZero() {
    RiskWindows windows = new RiskWindows();
    windows.add(T0, 1, 1, "b", null, null);
    // 60 s later the same minute slot comes round again: the old count must not linger in it.
    windows.add(T0.plusSeconds(60), 1, 1, "b", null, null);
    assertEquals(1, windows.measure(Measure.ORDERS, Window.MINUTE, T0.plusSeconds(60)));
  }

  @Test
  void distinctValuesAreCountedOncePerWindowAndExpire() {
    RiskWindows windows = new RiskWindows();
    windows.add(T0, 1, 1, "b1", null, null);
    windows.add(T0.plusSeconds(10), 1, 1, "b2", null, null);
    windows.add(T0.plusSeconds(20), 1, 1, "b1", null, null);
    assertEquals(2, windows.measure(Measure.DISTINCT_BUYERS, Window.MINUTE, T0.plusSeconds(30)));
    assertTrue(windows.seenWithin(Distinct.BUYERS, "b1", Window.MINUTE, T0.plusSeconds(30)));
    // b2 was last seen at +10 s: gone from the minute 70 s in, b1 (+20 s) still there at 75 s.
    assertEquals(1, windows.measure(Measure.DISTINCT_BUYERS, Window.MINUTE, T0.plusSeconds(75)));
    assertFalse(windows.seenWithin(Distinct.BUYERS, "b2", Window.MINUTE, T0.plusSeconds(75)));
    assertEquals(2, windows.measure(Measure.DISTINCT_BUYERS, Window.HOUR, T0.plusSeconds(75)));
  }

  @Test
  void distinctTrackingIsBoundedAndDropsTheLongestUnseen() {
    RiskWindows windows = new RiskWindows();
    for (int i = 0; i < RiskWindows.MAX_TRACKED + 500; i++) {
      windows.add(T0.plusMillis(i), 1, 1, "b" + i, null, null);
    }
    Instant now = T0.plusSeconds(5);
    assertEquals(RiskWindows.MAX_TRACKED, windows.measure(Measure.DISTINCT_BUYERS, Window.MINUTE, now));
    assertFalse(windows.seenWithin(Distinct.BUYERS, "b0", Window.MINUTE, now));
    assertTrue(windows.seenWithin(Distinct.BUYERS, "b" + (RiskWindows.MAX_TRACKED + 499), Window.MINUTE, now));
  }

  @Test
  void savedWindowsRestoreTheSameCounts() {
    RiskWindows windows = new RiskWindows();
    windows.add(T0, 3, 300, "b1", "10.0.0.1", "d1");
    windows.add(T0.plusSeconds(30), 1, 100, "b2", "10.0.0.2", null);
    RiskWindows restored = RiskWindows.restore(windows.save());
    Instant now = T0.plusSeconds(40);
    for (Window w : Window.values()) {
      for (Measure m : Measure.values()) {
        assertEquals(windows.measure(m, w, now), restored.measure(m, w, now), m + " per " + w);
      }
    }
    assertFalse(restored.isEmpty());
    assertTrue(new RiskWindows().isEmpty());
  }
}
