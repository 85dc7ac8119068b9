package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Order numbers are known for the whole window (a day), then forgotten an hour at a time; a snapshot restores them. */
class RecentOrdersTest {

  private static final Instant T0 = Instant.parse("2026-11-30T10:15:00Z");

  @Test
  void aNumberIsKnownForTheWindowAndForgottenAfter() {
    RecentOrders numbers = new RecentOrders(Duration.ofHours(24));
    numbers.add("ch~A-1", T0);
    numbers.add("ch~A-2", T0.plusSeconds(60));
    assertTrue(numbers.contains("ch~A-1"));
    assertFalse(numbers.contains("ch~A-3"));

    numbers.add("ch~B-1", T0.plus(Duration.ofHours(24)));
    assertTrue(numbers.contains("ch~A-1"), "24 hours later it is still known");
    numbers.add("ch~B-2", T0.plus(Duration.ofHours(25)).plusSeconds(3600));
    assertFalse(numbers.contains("ch~A-1"), "forgotten with its hour");
    assertFalse(numbers.contains("ch~A-2"));
    assertTrue(numbers.contains("ch~B-1"));
  }

  @Test
  void aNumberUsedTwiceStaysKnownUntilItsLastUseIsForgotten() {
    RecentOrders numbers = new RecentOrders(Duration.ofHours(24));
    numbers.add("ch~A-1", T0);
    numbers.add("ch~A-1", T0.plus(Duration.ofHours(10)));
    numbers.add("ch~X", T0.plus(Duration.ofHours(26)));
    assertTrue(numbers.contains("ch~A-1"), "its second use is within the window");
  }

  @Test
  void aSnapshotRestoresTheSameNumbers() {
    RecentOrders numbers = new RecentOrders(Duration.ofHours(24));
    for (int i = 0; i < 1000; i++) {
      numbers.add("ch~N-" + i, T0.plusSeconds(i * 60L));
    }
    RecentOrders restored = new RecentOrders(Duration.ofHours(24));
    restored.restore(numbers.snapshot());
    assertEquals(numbers.snapshot(), restored.snapshot());
    for (int i = 0; i < 1000; i++) {
      assertTrue(restored.contains("ch~N-" + i));
    }
  }

  @Test
  void hashesOfDifferentNumbersDiffer() {
    Set<Long> hashes = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      hashes.add(RecentOrders.hash("channel-1~ORDER-" + i));
    }
    assertEquals(200_000, hashes.size());
  }
}
