package com.quanyi.node.redemption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.quanyi.node.testkit.EntityTestKit;
import com.quanyi.node.testkit.ManualClock;
import com.quanyi.protocol.redemption.GuessGuardProtocol;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Admission;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Admit;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Admitted;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Blocked;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Command;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Missed;
import com.quanyi.protocol.risk.GuessLimits;
import com.quanyi.protocol.risk.RedemptionGuard;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class GuessGuardTest {

  private static final ActorTestKit testKit = EntityTestKit.create();
  private static final GuessGuardSettings SETTINGS = new GuessGuardSettings(
      new RedemptionGuard(new GuessLimits(2, 5), new GuessLimits(10, 50)), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMinutes(10), Duration.ofMinutes(15));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Admission admit(ActorRef<Command> guard) {
    TestProbe<Admission> answers = testKit.createTestProbe();
    guard.tell(new Admit(answers.ref()));
    return answers.receiveMessage();
  }

  @Test
  void aVerifierIsSlowedPastItsLimitThenBlockedForAWhileAndMissesOutsideTheWindowAreForgotten() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    ActorRef<Command> guard = testKit.spawn(GuessGuard.create(SETTINGS, () -> null, GuessGuardProtocol.verifier("v1"), clock,
        shard.ref()));
    guard.tell(new Missed());
    guard.tell(new Missed());
    assertEquals(new Admitted(0), admit(guard), "two misses: not slowed yet");
    guard.tell(new Missed());
    assertEquals(new Admitted(100), admit(guard));
    guard.tell(new Missed());
    assertEquals(new Admitted(200), admit(guard));
    clock.advance(Duration.ofMinutes(11));
    assertEquals(new Admitted(0), admit(guard), "the window passed: forgotten");
    for (int i = 0; i < 4; i++) {
      guard.tell(new Missed());
    }
    assertEquals(new Admitted(200), admit(guard));
    guard.tell(new Missed());
    Blocked blocked = assertInstanceOf(Blocked.class, admit(guard), "the fifth miss blocks");
    assertEquals(900, blocked.seconds());
    clock.advance(Duration.ofMinutes(14));
    assertEquals(new Blocked(60), admit(guard));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(new Admitted(0), admit(guard), "the block is over and nothing is held against it");
  }

  @Test
  void anAddressHasItsOwnLimitsAndTheDelayIsCapped() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    ActorRef<Command> guard = testKit.spawn(GuessGuard.create(SETTINGS, () -> null, GuessGuardProtocol.address("10.0.0.9"), clock,
        shard.ref()));
    for (int i = 0; i < 20; i++) {
      guard.tell(new Missed());
    }
    assertEquals(new Admitted(250), admit(guard), "slowed, not blocked: an address may be a shop's many tills");
  }

  @Test
  void theRiskRuleSetsLimitsApplyFromTheirChangeOnAndWithoutThemTheDefaults() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    AtomicReference<RedemptionGuard> ruled = new AtomicReference<>();
    ActorRef<Command> guard = testKit.spawn(GuessGuard.create(SETTINGS, ruled::get, GuessGuardProtocol.verifier("v2"),
        clock, shard.ref()));
    guard.tell(new Missed());
    assertEquals(new Admitted(0), admit(guard), "the default: slowed after two");
    ruled.set(new RedemptionGuard(new GuessLimits(0, 3), new GuessLimits(10, 50)));
    assertEquals(new Admitted(100), admit(guard), "stricter now: every miss counts");
    guard.tell(new Missed());
    guard.tell(new Missed());
    assertInstanceOf(Blocked.class, admit(guard), "the third miss blocks under the new limits");
    ruled.set(null);
    clock.advance(Duration.ofMinutes(15));
    assertEquals(new Admitted(0), admit(guard));
  }
}
