package com.quanyi.node.redemption;

import com.quanyi.protocol.redemption.GuessGuardProtocol;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Admit;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Admitted;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Blocked;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Command;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Missed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import com.quanyi.protocol.risk.GuessLimits;
import com.quanyi.protocol.risk.RedemptionGuard;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * One subject's misses in memory: the times of its codes not found within the window, and the end
 * of its block. Not persisted (a guard that moves with its shard, or whose node dies, starts over:
 * a guesser gains one window's worth of tries); kept running while it holds anything, so sharding
 * never passivates a block away, and stopped once it holds nothing.
 */
public final class GuessGuard {

  /** Time to look whether anything is left. */
  private record Tidy() implements GuessGuardProtocol.Internal {}

  private final GuessGuardSettings settings;
  /** The risk rule set's redemption guard now (null: the settings' defaults); read at every miss and admission. */
  private final Supplier<RedemptionGuard> ruled;
  private final boolean address;
  private final Clock clock;
  private final ActorContext<Command> ctx;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final Deque<Instant> misses = new ArrayDeque<>();
  private Instant blockedUntil = Instant.MIN;

  private GuessGuard(GuessGuardSettings settings, Supplier<RedemptionGuard> ruled, boolean address, Clock clock,
      ActorContext<Command> ctx, ActorRef<ClusterSharding.ShardCommand> shard) {
    this.settings = settings;
    this.ruled = ruled;
    this.address = address;
    this.clock = clock;
    this.ctx = ctx;
    this.shard = shard;
  }

  /** @param ruled the risk rule set's redemption guard as this node holds it now (null: the defaults) */
  public static void init(ActorSystem<?> system, GuessGuardSettings settings, Supplier<RedemptionGuard> ruled) {
    ClusterSharding.get(system).init(Entity.of(GuessGuardProtocol.TYPE_KEY,
            entity -> create(settings, ruled, entity.getEntityId(), Clock.systemUTC(), entity.getShard()))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /** @param subject the entity id, which says whether it guards a verifier or an address */
  static Behavior<Command> create(GuessGuardSettings settings, Supplier<RedemptionGuard> ruled, String subject,
      Clock clock, ActorRef<ClusterSharding.ShardCommand> shard) {
    boolean address = GuessGuardProtocol.isAddress(subject);
    return Behaviors.setup(ctx -> new GuessGuard(settings, ruled, address, clock, ctx, shard).running());
  }

  private GuessLimits limits() {
    return settings.limits(ruled.get(), address);
  }

  private Behavior<Command> running() {
    // Looks again after each quiet window: a guard that holds nothing stops.
    ctx.setReceiveTimeout(settings.window(), new Tidy());
    return Behaviors.receive(Command.class)
        .onMessage(Admit.class, admit -> {
          Instant now = clock.instant();
          forgetOlder(now);
          admit.replyTo().tell(now.isBefore(blockedUntil)
              ? new Blocked(Math.max(1, Duration.between(now, blockedUntil).toSeconds()))
              : new Admitted(settings.delayMillis(limits(), misses.size())));
          return Behaviors.same();
        })
        .onMessage(Missed.class, missed -> {
          Instant now = clock.instant();
          forgetOlder(now);
          misses.addLast(now);
          if (misses.size() >= limits().blockAfter()) {
            blockedUntil = now.plus(settings.blockFor());
            misses.clear();
          }
          return Behaviors.same();
        })
        .onMessage(Tidy.class, tidy -> {
          Instant now = clock.instant();
          forgetOlder(now);
          if (misses.isEmpty() && !now.isBefore(blockedUntil)) {
            shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
          }
          return Behaviors.same();
        })
        .build();
  }

  private void forgetOlder(Instant now) {
    Instant since = now.minus(settings.window());
    while (!misses.isEmpty() && misses.peekFirst().isBefore(since)) {
      misses.removeFirst();
    }
  }
}
