package com.quanyi.node.channel;

import com.quanyi.protocol.channel.NonceRegistryProtocol;
import com.quanyi.protocol.channel.NonceRegistryProtocol.Command;
import com.quanyi.protocol.channel.NonceRegistryProtocol.NonceAnswer;
import com.quanyi.protocol.channel.NonceRegistryProtocol.UseNonce;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * The nonces one API key used in the last window, in memory. One per key in the cluster (Cluster
 * Sharding), never passivated, so a replay is refused wherever it arrives. Not persisted: when a
 * registry restarts (node crash, rebalance), the nonces of the previous few minutes are forgotten;
 * see docs/channel-integration.md for what that gap allows.
 */
public final class NonceRegistry {

  /** Forget nonces whose window has passed. */
  record Prune() implements NonceRegistryProtocol.Internal {}

  private NonceRegistry() {}

  public static void init(ActorSystem<?> system, Duration window) {
    ClusterSharding.get(system).init(Entity.of(NonceRegistryProtocol.TYPE_KEY, ctx -> create(window, Clock.systemUTC()))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  static Behavior<Command> create(Duration window, Clock clock) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Prune(), Duration.ofSeconds(30));
      Map<String, Long> expiries = new HashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(UseNonce.class, use -> {
            Long known = expiries.get(use.nonce());
            boolean fresh = known == null || known < clock.millis();
            if (fresh) {
              expiries.put(use.nonce(), use.timestampMillis() + window.toMillis());
            }
            use.replyTo().tell(new NonceAnswer(fresh));
            return Behaviors.same();
          })
          .onMessage(Prune.class, prune -> {
            long now = clock.millis();
            expiries.values().removeIf(expiry -> expiry < now);
            return Behaviors.same();
          })
          .build();
    });
  }
}
