package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteGuardTest {

  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(0);
  private final WriteGuard guard = new WriteGuard(Duration.ofMillis(1500), Duration.ofSeconds(6), now::get);

  @Test
  void aStallRefusesWritesForTheTimeTheOthersTakeToDownTheNode() {
    tickEvery100MsUntil(1_000);
    assertTrue(guard.mayWrite());

    at(21_000);
    assertFalse(guard.mayWrite(), "the process moved again after 20 s, before the ticker noticed");
    guard.ticked(now.get());
    tickEvery100MsUntil(26_900);
    assertFalse(guard.mayWrite(), "5.9 s after the stall, ticking normally again");
    tickEvery100MsUntil(27_100);
    assertTrue(guard.mayWrite(), "6.1 s after it");
  }

  @Test
  void gapsShorterThanAStallChangeNothing() {
    guard.ticked(now.get());
    at(1_400);
    assertTrue(guard.mayWrite(), "the ticker 1.4 s behind");
    guard.ticked(now.get());
    assertTrue(guard.mayWrite());
  }

  @Test
  void theRefusalLastsDetectionResolverAndMarginAsConfigured() {
    WriteGuard configured = WriteGuard.fromConfig(ConfigFactory.parseMap(Map.of(
        "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "3s",
        "pekko.cluster.split-brain-resolver.stable-after", "4s",
        "pekko.cluster.down-removal-margin", "off", "quanyi.cluster.write-guard", true)));
    assertEquals(Duration.ofMillis(2500), configured.stall());
    assertEquals(Duration.ofSeconds(11), configured.refuseFor(), "3 s + 4 s + a margin of stable-after");
  }

  @Test
  void onTheSideTheResolverDownsNothingIsWritten() {
    tickEvery100MsUntil(1_000);
    guard.sided(false);
    assertFalse(guard.mayWrite(), "cut off from the majority");
    tickEvery100MsUntil(20_000);
    assertFalse(guard.mayWrite(), "however long it lasts");
    guard.sided(true);
    assertTrue(guard.mayWrite(), "the others reachable again, and no stall");
  }

  private void at(long millis) {
    now.set(millis * MS);
  }

  private void tickEvery100MsUntil(long millis) {
    for (long t = now.get() / MS + 100; t <= millis; t += 100) {
      at(t);
      guard.ticked(now.get());
    }
  }
}
