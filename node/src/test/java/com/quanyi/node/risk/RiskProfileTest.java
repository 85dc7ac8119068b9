package com.quanyi.node.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.testkit.EntityTestKit;
import com.quanyi.node.testkit.ManualClock;
import com.quanyi.protocol.risk.RiskProfileProtocol.Assess;
import com.quanyi.protocol.risk.RiskProfileProtocol.BlockLifted;
import com.quanyi.protocol.risk.RiskProfileProtocol.Command;
import com.quanyi.protocol.risk.RiskProfileProtocol.Event;
import com.quanyi.protocol.risk.RiskProfileProtocol.FirstSeen;
import com.quanyi.protocol.risk.RiskProfileProtocol.GetProfile;
import com.quanyi.protocol.risk.RiskProfileProtocol.OrderFacts;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileVerdict;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileView;
import com.quanyi.protocol.risk.RiskProfileProtocol.Stop;
import com.quanyi.protocol.risk.RiskProfileProtocol.SubjectBlocked;
import com.quanyi.protocol.risk.RiskProfileProtocol.Unblock;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRule.Action;
import com.quanyi.protocol.risk.RiskRule.Measure;
import com.quanyi.protocol.risk.RiskRule.Subject;
import com.quanyi.protocol.risk.RiskRule.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One profile on the in-memory journal: what it keeps across a restart, and what it writes. */
class RiskProfileTest {

  private static final ActorTestKit testKit = EntityTestKit.create();
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private EventSourcedBehaviorTestKit<Command, Event, RiskProfile.State> profile;

  private static final RiskRule FARM = new RiskRule("farm", Subject.IP, Measure.DISTINCT_BUYERS, Window.HOUR, 2,
      Action.REJECT, Set.of(), null, null, Duration.ofHours(1), false, "IP_FARM");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    profile = EventSourcedBehaviorTestKit.create(testKit.system(),
        RiskProfile.create("ip:10.0.0.1", clock, shard.getRef(), Duration.ofMinutes(5)),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    profile.clear();
  }

  /** What the profile has written; a query first, since the profile writes after it answers. */
  private static List<Object> written(EventSourcedBehaviorTestKit<Command, Event, RiskProfile.State> kit,
      String subject) {
    kit.<ProfileView>runCommand(GetProfile::new);
    return kit.persistenceTestKit().persistedInStorage("RiskProfile|" + subject);
  }

  private ProfileVerdict assess(String buyer) {
    OrderFacts order = new OrderFacts("o-" + buyer, "ch", buyer, "10.0.0.1", null, 1, 100, clock.instant());
    return profile.<ProfileVerdict>runCommand(r -> new Assess(order, List.of(FARM), false, 1, r)).reply();
  }

  @Test
  void aBlockSurvivesARestartAndAFarmHammeringItCostsNoWritePerAttempt() {
    assertTrue(assess("ch/1").hits().isEmpty());
    assertTrue(assess("ch/2").hits().isEmpty());
    ProfileVerdict third = assess("ch/3");
    assertEquals("IP_FARM", third.hits().get(0).reason());
    assertTrue(!third.counted());
    List<Object> written = written(profile, "ip:10.0.0.1");
    assertEquals(1, written.stream().filter(SubjectBlocked.class::isInstance).count());
    for (int i = 4; i < 50; i++) {
      clock.advance(Duration.ofSeconds(1));
      assess("ch/" + i);
    }
    assertEquals(written.size(), written(profile, "ip:10.0.0.1").size(), "a blocked subject is not blocked again per attempt");

    profile.restart();
    ProfileVerdict afterRestart = assess("ch/1");
    assertEquals("IP_FARM", afterRestart.hits().get(0).reason(), "the block outlives the actor");
    ProfileView lifted = profile.<ProfileView>runCommand(r -> new Unblock("op", r)).reply();
    assertNull(lifted.blockedUntil());
    List<Object> events = written(profile, "ip:10.0.0.1");
    assertInstanceOf(BlockLifted.class, events.get(events.size() - 1));
  }

  @Test
  void windowsKeptWhenStoppedAreRestoredAndLostOnlyWithoutAStop() {
    String subject = "ip:10.0.0.77";
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    TestProbe<ProfileVerdict> verdicts = testKit.createTestProbe();
    TestProbe<ProfileView> views = testKit.createTestProbe();
    ActorRef<Command> first = testKit.spawn(RiskProfile.create(subject, clock, shard.getRef(), Duration.ofMinutes(5)));
    for (String buyer : List.of("ch/1", "ch/2")) {
      first.tell(new Assess(new OrderFacts("o", "ch", buyer, "10.0.0.77", null, 1, 100, clock.instant()),
          List.of(FARM), false, 1, verdicts.getRef()));
      assertTrue(verdicts.receiveMessage().hits().isEmpty());
    }
    first.tell(new Stop());
    verdicts.expectTerminated(first);

    ActorRef<Command> second = testKit.spawn(RiskProfile.create(subject, clock, shard.getRef(), Duration.ofMinutes(5)));
    second.tell(new GetProfile(views.getRef()));
    assertEquals(2, views.receiveMessage().counts().get(1).distinctBuyers(), "the hour window resumes where it stopped");
    second.tell(new Assess(new OrderFacts("o", "ch", "ch/3", "10.0.0.77", null, 1, 100, clock.instant()),
        List.of(FARM), false, 1, verdicts.getRef()));
    assertEquals("IP_FARM", verdicts.receiveMessage().hits().get(0).reason());

    // A crash (stopped without the stop message) loses what was counted since the windows were kept.
    ActorRef<Command> open = testKit.spawn(RiskProfile.create("ip:10.0.0.78", clock, shard.getRef(),
        Duration.ofMinutes(5)));
    for (int i = 0; i < 3; i++) {
      open.tell(new Assess(new OrderFacts("o", "ch", "ch/1", "10.0.0.78", null, 1, 100, clock.instant()),
          List.of(), false, 1, verdicts.getRef()));
      assertTrue(verdicts.receiveMessage().counted());
    }
    open.tell(new Stop());
    verdicts.expectTerminated(open);
    ActorRef<Command> reopened = testKit.spawn(RiskProfile.create("ip:10.0.0.78", clock, shard.getRef(),
        Duration.ofMinutes(5)));
    reopened.tell(new Assess(new OrderFacts("o", "ch", "ch/1", "10.0.0.78", null, 1, 100, clock.instant()),
        List.of(), false, 1, verdicts.getRef()));
    verdicts.receiveMessage();
    testKit.stop(reopened);
    ActorRef<Command> afterCrash = testKit.spawn(RiskProfile.create("ip:10.0.0.78", clock, shard.getRef(),
        Duration.ofMinutes(5)));
    afterCrash.tell(new GetProfile(views.getRef()));
    assertEquals(3, views.receiveMessage().counts().get(1).orders(), "the fourth order was never kept");
  }

  @Test
  void aBuyerIsFirstSeenOnceAndAnIpNeverWritesForAnOrderItAllows() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    EventSourcedBehaviorTestKit<Command, Event, RiskProfile.State> buyer = EventSourcedBehaviorTestKit.create(
        testKit.system(), RiskProfile.create("buyer:ch/u1", clock, shard.getRef(), Duration.ofMinutes(5)),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    OrderFacts order = new OrderFacts("o", "ch", "ch/u1", "10.0.0.9", null, 1, 100, clock.instant());
    buyer.clear();
    for (int i = 0; i < 3; i++) {
      buyer.<ProfileVerdict>runCommand(r -> new Assess(order, List.of(), false, 1, r));
    }
    List<Object> events = written(buyer, "buyer:ch/u1");
    assertEquals(1, events.size());
    assertInstanceOf(FirstSeen.class, events.get(0));
    assess("ch/1");
    assertTrue(written(profile, "ip:10.0.0.1").isEmpty());
  }
}
