package com.quanyi.node;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node may write for its entities now. Two things make a node's writes unsafe: it may
 * have been downed while it stood still, or it is about to be downed because it cannot reach the
 * side the split-brain resolver keeps. Either way its entities are (or will soon be) started on
 * another node while its own incarnations still hold their state and queued requests, and until it
 * learns it was downed and stops they would write beside the new ones: the same units allocated
 * twice, the same sequence numbers written twice (measured: docs/reliability.md, the pause fault).
 *
 * <p>After a stall (a long GC pause, a starved or suspended process) the node refuses its entities'
 * writes for as long as the others take to down it and hand its shards over (failure detection,
 * resolver, removal margin), by which time it has learned it was downed or it was not. A thread of
 * its own measures stalls: it sleeps {@link #TICK} and notes each wake-up, so a gap is the process
 * standing still, not a busy dispatcher. An entity asking while that thread is itself behind (the
 * process just moved again and the entity ran first) is refused too.
 *
 * <p>While the members it reaches are not the side keep-majority keeps ({@link KeptSide}) it refuses
 * them too, from the moment it sees that, not only once its resolver has decided: so its writes stop
 * about when the others see it unreachable, a resolver's {@code stable-after} before they decide.
 */
public final class WriteGuard implements Extension {

  private static final Logger log = LoggerFactory.getLogger(WriteGuard.class);
  static final Duration TICK = Duration.ofMillis(100);

  /** Lets everything write: the guard when off, and the process's until a node runs in it. */
  private static final WriteGuard NEVER = new WriteGuard(Duration.ofDays(365), Duration.ZERO, System::nanoTime);

  /**
   * The guard of the node running in this process. The Cassandra driver builds its request
   * throttler by class name with no way to hand it one ({@link WriteGuardedThrottler}), and a stall
   * stops the whole process, so one guard per process answers for every session in it.
   */
  private static final AtomicReference<WriteGuard> OF_PROCESS = new AtomicReference<>(NEVER);

  private static final ExtensionId<WriteGuard> ID = new ExtensionId<>() {
    @Override
    public WriteGuard createExtension(ActorSystem<?> system) {
      WriteGuard guard = fromConfig(system.settings().config());
      if (guard != NEVER) {
        guard.startTicking(system);
      }
      OF_PROCESS.set(guard);
      return guard;
    }
  };

  private final long stallNanos;
  private final long refuseNanos;
  private final LongSupplier nanoClock;
  private volatile long lastTick;
  private volatile long refusedUntil;
  private volatile boolean onKeptSide = true;

  /**
   * @param stall a gap this long may have made the others take this node for unreachable
   * @param refuseFor how long writes stay refused after one
   */
  WriteGuard(Duration stall, Duration refuseFor, LongSupplier nanoClock) {
    this.stallNanos = stall.toNanos();
    this.refuseNanos = refuseFor.toNanos();
    this.nanoClock = nanoClock;
    this.lastTick = nanoClock.getAsLong();
    this.refusedUntil = lastTick;
  }

  public static WriteGuard get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** The guard of the node last started in this process ({@link #get} starts it). */
  static WriteGuard ofProcess() {
    return OF_PROCESS.get();
  }

  /**
   * Off ({@code quanyi.cluster.write-guard}), only to show what it prevents. A stall is a gap that nears the failure detector's acceptable pause (half a second short of it);
   * writes stay refused for that pause, the resolver's stable-after and the removal margin.
   */
  static WriteGuard fromConfig(Config config) {
    if (config.hasPath("quanyi.cluster.write-guard") && !config.getBoolean("quanyi.cluster.write-guard")) {
      return NEVER;
    }
    Duration pause = config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause");
    Duration stall = pause.minusMillis(500).compareTo(TICK.multipliedBy(5)) > 0 ? pause.minusMillis(500)
        : TICK.multipliedBy(5);
    Duration stableAfter = config.getDuration("pekko.cluster.split-brain-resolver.stable-after");
    // Pekko takes stable-after for the margin when none is set.
    Duration margin = config.getString("pekko.cluster.down-removal-margin").equals("off") ? stableAfter
        : config.getDuration("pekko.cluster.down-removal-margin");
    Duration refuseFor = pause.plus(stableAfter).plus(margin);
    return new WriteGuard(stall, refuseFor, System::nanoTime);
  }

  Duration stall() {
    return Duration.ofNanos(stallNanos);
  }

  Duration refuseFor() {
    return Duration.ofNanos(refuseNanos);
  }

  /**
   * True unless the process stood still lately, or stands still as far as the ticking thread knows,
   * or this node was last seen on the side the resolver downs.
   */
  public boolean mayWrite() {
    long now = nanoClock.getAsLong();
    return onKeptSide && now - lastTick <= stallNanos && now - refusedUntil >= 0;
  }

  /** Notes which side of the cluster this node is on, as seen at a tick. */
  void sided(boolean kept) {
    if (kept != onKeptSide) {
      onKeptSide = kept;
      if (kept) {
        log.info("This node reaches the side of the cluster the resolver keeps again; its entities write");
      } else {
        log.warn("This node does not reach the side of the cluster the resolver keeps; its entities write "
            + "nothing until it does (it is about to be downed)");
      }
    }
  }

  /** Notes a wake-up of the ticking thread at {@code now} (nanoTime). */
  void ticked(long now) {
    long gap = now - lastTick;
    if (gap > stallNanos) {
      refusedUntil = now + refuseNanos;
      log.warn("This node stood still for {} ms; its entities write nothing for {} ms (the others may have "
          + "downed it meanwhile)", TimeUnit.NANOSECONDS.toMillis(gap), TimeUnit.NANOSECONDS.toMillis(refuseNanos));
    }
    lastTick = now;
  }

  private void startTicking(ActorSystem<?> system) {
    // Entity tests run their entities in a local actor system: no cluster, no side to be on.
    String provider = system.settings().config().getString("pekko.actor.provider");
    Cluster cluster = provider.equals("cluster") || provider.contains("Cluster") ? Cluster.get(system) : null;
    Thread ticker = new Thread(() -> {
      boolean joined = false;
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(TICK.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        ticked(nanoClock.getAsLong());
        if (cluster != null) {
          Member self = cluster.selfMember();
          // The cluster shows a node that has not joined yet as removed: it hosts nothing yet.
          joined |= !self.status().equals(MemberStatus.removed());
          if (joined) {
            CurrentClusterState state = cluster.state();
            sided(KeptSide.includes(self, members(state), state.getUnreachable()));
          }
        }
      }
    }, "quanyi-write-guard");
    ticker.setDaemon(true);
    ticker.start();
    system.getWhenTerminated().thenRun(() -> {
      ticker.interrupt();
      // A stopped ticker reads as a stall forever after; sessions left in the process must not see it.
      OF_PROCESS.compareAndSet(this, NEVER);
    });
  }

  private static List<Member> members(CurrentClusterState state) {
    List<Member> members = new ArrayList<>();
    state.getMembers().forEach(members::add);
    return members;
  }
}
