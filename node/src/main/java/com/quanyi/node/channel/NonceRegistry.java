package com.quanyi.node.channel;

import com.quanyi.persistence.channel.NonceRecordStore;
import com.quanyi.persistence.channel.NonceRecordStore.Record;
import com.quanyi.persistence.channel.NonceRecordStore.UsedNonce;
import com.quanyi.protocol.channel.NonceRegistryProtocol;
import com.quanyi.protocol.channel.NonceRegistryProtocol.Command;
import com.quanyi.protocol.channel.NonceRegistryProtocol.NonceAnswer;
import com.quanyi.protocol.channel.NonceRegistryProtocol.UseNonce;
import com.quanyi.protocol.channel.NonceRegistryProtocol.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * The nonces one hash bucket of one API key used within the window, in memory, and what a
 * registry that starts after it (its node died, a rebalance) needs to refuse every replay without
 * a write per request:
 * <ul>
 *   <li>a <b>lease</b> in Cassandra: the registry lets requests in from memory only until it ends,
 *       renewing it a few seconds ahead (one write per {@link #LEASE}/2 while in use). Such a
 *       request is stamped at most {@link #AHEAD} after the registry's clock, so before the lease
 *       ends plus that;</li>
 *   <li>a request stamped further ahead is <b>written</b> (its nonce, until it leaves the window)
 *       before it is let in, the ones that come meanwhile as one write after it.</li>
 * </ul>
 * A registry that starts reads both back. A recorded nonce is a replay (401). An unrecorded one
 * stamped before its <b>fence</b> (the previous lease's end, or its own start if earlier, plus
 * {@link #AHEAD} and {@link #SKEW}) may be a replay it cannot recognise: that request is answered
 * "retry" (503) and a channel signs it again, with a newer timestamp. After a node dies the fence is
 * long past by the time the registry starts elsewhere; a registry stopped on purpose (hand-off,
 * shutdown) ends its lease first, so a successor that starts two seconds later or more has none.
 * A registry never used before, or idle for a lease, has no fence.
 *
 * <p>Why not write every nonce: measured (bench/flash-sale.sh soldout, 64 clients), waiting for a
 * durable write per request took refusals from 10,338/s to 3,015/s (16 buckets) or 3,757/s (one
 * registry per key, 0.03 writes per request): the wait for the commit log, not the writes.
 *
 * <p>Lifecycle: {@code loading} (the record read back; requests wait) → {@code idle} ⇄
 * {@code writing} (one write in flight; requests that need a record wait for the next) →
 * {@code backingOff} after a failed write (what needs a write is answered "retry") → {@code idle};
 * {@code ending} when sharding stops it (the lease ended, then stopped).
 */
public final class NonceRegistry {

  /** How long a lease lets the registry answer from memory; renewed when half of it is left. */
  static final Duration LEASE = Duration.ofSeconds(5);
  /** How far ahead of the registry's clock a request may be stamped and still be let in from memory. */
  static final Duration AHEAD = Duration.ofSeconds(1);
  /** How far apart two nodes' clocks may be. */
  static final Duration SKEW = Duration.ofSeconds(1);

  record Loaded(Record record) implements NonceRegistryProtocol.Internal {}

  record LoadFailed(Throwable cause) implements NonceRegistryProtocol.Internal {}

  record Load() implements NonceRegistryProtocol.Internal {}

  record Written(List<UseNonce> group, long leaseUntil, Throwable failure) implements NonceRegistryProtocol.Internal {}

  record Retry() implements NonceRegistryProtocol.Internal {}

  /** Sharding's stop message (hand-off, node shutdown): end the lease first. */
  record Stop() implements NonceRegistryProtocol.Internal {}

  record Ended() implements NonceRegistryProtocol.Internal {}

  /** Forget nonces whose window has passed. */
  record Prune() implements NonceRegistryProtocol.Internal {}

  /** How long a registry whose write failed answers "retry" to what needs a write before it writes again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** Requests a registry holds while it reads its record back, beyond which they are answered "retry". */
  private static final int STASHED = 10_000;

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String apiKey;
  private final int bucket;
  private final NonceRecordStore store;
  private final Duration window;
  private final Clock clock;
  private final long started;
  /** Nonce → when it leaves the window (epoch ms): let in, or waiting to be. */
  private final Map<String, Long> expiries = new HashMap<>();
  /** Unrecorded nonces stamped before this may have been let in by an earlier registry. */
  private long fence = Long.MIN_VALUE;
  /** Requests are let in from memory until then (epoch ms; none before the first lease is written). */
  private long leaseUntil = Long.MIN_VALUE;
  /** A failed lease renewal with nobody waiting was logged: the next ones in a row are not. */
  private boolean loggedFailure;

  private NonceRegistry(ActorContext<Command> ctx, TimerScheduler<Command> timers, String entityId,
      NonceRecordStore store, Duration window, Clock clock) {
    this.ctx = ctx;
    this.timers = timers;
    int hash = entityId.lastIndexOf('#');
    this.apiKey = entityId.substring(0, hash);
    this.bucket = Integer.parseInt(entityId.substring(hash + 1));
    this.store = store;
    this.window = window;
    this.clock = clock;
    this.started = clock.millis();
  }

  /** @param window how long a nonce is kept after its request's timestamp */
  public static void init(ActorSystem<?> system, NonceRecordStore store, Duration window) {
    // Never passivated: a registry that starts again may make a channel's requests of the next
    // seconds retry (its fence); one idle for a lease would not, but the saving is small.
    ClusterSharding.get(system).init(Entity.of(NonceRegistryProtocol.TYPE_KEY,
        ctx -> create(ctx.getEntityId(), store, window, Clock.systemUTC()))
        .withStopMessage(new Stop())
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  static Behavior<Command> create(String entityId, NonceRecordStore store, Duration window, Clock clock) {
    return Behaviors.withStash(STASHED, stash -> Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      timers.startTimerWithFixedDelay(new Prune(), Duration.ofSeconds(30));
      NonceRegistry registry = new NonceRegistry(ctx, timers, entityId, store, window, clock);
      registry.load();
      return registry.loading(stash);
    })));
  }

  /** Reads the previous lease and the recorded nonces that can still be replayed. */
  private void load() {
    long now = clock.millis();
    ctx.pipeToSelf(store.read(apiKey, bucket, now - window.toMillis(), now + window.toMillis(), now),
        (record, failure) -> failure == null ? new Loaded(record) : new LoadFailed(failure));
  }

  private Behavior<Command> loading(StashBuffer<Command> stash) {
    return Behaviors.receive(Command.class)
        .onMessage(Loaded.class, loaded -> {
          expiries.putAll(loaded.record().nonces());
          OptionalLong previous = loaded.record().activeUntil();
          if (previous.isPresent()) {
            fence = Math.min(previous.getAsLong(), started) + AHEAD.toMillis() + SKEW.toMillis();
          }
          return stash.unstashAll(idle());
        })
        .onMessage(LoadFailed.class, failed -> {
          ctx.getLog().warn("Nonce registry {}#{} could not read its record, retrying: {}", apiKey, bucket,
              failed.cause().toString());
          timers.startSingleTimer(new Load(), Duration.ofSeconds(1));
          return Behaviors.same();
        })
        .onMessage(Load.class, again -> {
          load();
          return Behaviors.same();
        })
        .onMessage(Prune.class, prune -> Behaviors.same())
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .onAnyMessage(other -> {
          if (!stash.isFull()) {
            stash.stash(other);
          } else if (other instanceof UseNonce use) {
            use.replyTo().tell(new NonceAnswer(Verdict.UNKNOWN));
          }
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(UseNonce.class, use -> {
          List<UseNonce> waiting = new ArrayList<>();
          judge(use, waiting);
          if (waiting.isEmpty() && !leaseEndingSoon()) {
            return Behaviors.same();
          }
          write(waiting);
          return writing(new ArrayList<>());
        })
        .onMessage(Prune.class, this::pruned)
        .onMessage(Stop.class, stop -> ending(false))
        .build();
  }

  private Behavior<Command> writing(List<UseNonce> waiting) {
    return Behaviors.receive(Command.class)
        .onMessage(UseNonce.class, use -> {
          judge(use, waiting);
          return Behaviors.same();
        })
        .onMessage(Written.class, written -> {
          if (written.failure() != null) {
            failed(written.group(), written.failure());
            failed(waiting, written.failure());
            timers.startSingleTimer(new Retry(), RETRY_AFTER);
            return backingOff();
          }
          answer(written);
          if (waiting.isEmpty() && !leaseEndingSoon()) {
            return idle();
          }
          write(waiting);
          return writing(new ArrayList<>());
        })
        .onMessage(Prune.class, this::pruned)
        .onMessage(Stop.class, stop -> {
          waiting.forEach(use -> use.replyTo().tell(new NonceAnswer(Verdict.UNKNOWN)));
          return ending(true);
        })
        .build();
  }

  /**
   * Stopping on purpose (a hand-off, the node leaving): the lease is ended now, once the write in
   * flight (if any) is done, so that a successor starting more than {@link #AHEAD} plus
   * {@link #SKEW} later has no fence at all. Nothing more is let in meanwhile.
   */
  private Behavior<Command> ending(boolean writeInFlight) {
    if (!writeInFlight) {
      endLease();
    }
    return Behaviors.receive(Command.class)
        .onMessage(UseNonce.class, use -> {
          use.replyTo().tell(new NonceAnswer(Verdict.UNKNOWN));
          return Behaviors.same();
        })
        .onMessage(Written.class, written -> {
          if (written.failure() == null) {
            answer(written);
          } else {
            failed(written.group(), written.failure());
          }
          endLease();
          return Behaviors.same();
        })
        .onMessage(Ended.class, ended -> Behaviors.stopped())
        .onAnyMessage(other -> Behaviors.same())
        .build();
  }

  private void endLease() {
    long now = clock.millis();
    ctx.pipeToSelf(store.write(apiKey, bucket, OptionalLong.of(now), List.of(), now), (done, failure) -> new Ended());
  }

  /**
   * After a failed write, for {@link #RETRY_AFTER}: what memory can answer is answered, what needs a
   * write is answered "retry" at once (Cassandra is away; a write per request would only add load).
   */
  private Behavior<Command> backingOff() {
    return Behaviors.receive(Command.class)
        .onMessage(UseNonce.class, use -> {
          List<UseNonce> needsWrite = new ArrayList<>();
          judge(use, needsWrite);
          needsWrite.forEach(waiting -> {
            expiries.remove(waiting.nonce());
            waiting.replyTo().tell(new NonceAnswer(Verdict.UNKNOWN));
          });
          return Behaviors.same();
        })
        .onMessage(Retry.class, retry -> idle())
        .onMessage(Prune.class, this::pruned)
        .onMessage(Stop.class, stop -> ending(false))
        .build();
  }

  /** Answers the request, or adds it to {@code waiting} if it may only go in once a write is done. */
  private void judge(UseNonce use, List<UseNonce> waiting) {
    long now = clock.millis();
    Long known = expiries.get(use.nonce());
    if (known != null && known >= now) {
      use.replyTo().tell(new NonceAnswer(Verdict.USED));
      return;
    }
    if (use.timestampMillis() < fence) {
      use.replyTo().tell(new NonceAnswer(Verdict.UNKNOWN));
      return;
    }
    // Marked before it is written: a second use meanwhile is a replay.
    expiries.put(use.nonce(), use.timestampMillis() + window.toMillis());
    if (use.timestampMillis() > now + AHEAD.toMillis() || now >= leaseUntil) {
      waiting.add(use);
    } else {
      use.replyTo().tell(new NonceAnswer(Verdict.FRESH));
    }
  }

  private boolean leaseEndingSoon() {
    return leaseUntil - clock.millis() < LEASE.toMillis() / 2;
  }

  /** Renews the lease and records the nonces stamped ahead, in one round trip. */
  private void write(List<UseNonce> group) {
    long now = clock.millis();
    long until = now + LEASE.toMillis();
    List<UsedNonce> ahead = group.stream()
        .filter(use -> use.timestampMillis() > now + AHEAD.toMillis())
        .map(use -> new UsedNonce(use.nonce(), use.timestampMillis(), use.timestampMillis() + window.toMillis()))
        .toList();
    ctx.pipeToSelf(store.write(apiKey, bucket, OptionalLong.of(until), ahead, now),
        (done, failure) -> new Written(group, until, failure));
  }

  /** A written group's requests go in, and the lease is renewed. */
  private void answer(Written written) {
    leaseUntil = Math.max(leaseUntil, written.leaseUntil());
    loggedFailure = false;
    written.group().forEach(use -> use.replyTo().tell(new NonceAnswer(Verdict.FRESH)));
  }

  /**
   * Requests whose write failed (or that waited behind it) are answered "retry" and their nonces
   * forgotten, so the same request sent again is judged again (the write may have landed: after a
   * restart it would then be refused as a replay, the safe side).
   */
  private void failed(List<UseNonce> group, Throwable failure) {
    if (!group.isEmpty() || !loggedFailure) {
      ctx.getLog().warn("Nonce registry {}#{} could not write its record ({} requests waiting), retrying in {}: {}",
          apiKey, bucket, group.size(), RETRY_AFTER, failure.toString());
    }
    loggedFailure = group.isEmpty();
    group.forEach(use -> {
      expiries.remove(use.nonce());
      use.replyTo().tell(new NonceAnswer(Verdict.UNKNOWN));
    });
  }

  private Behavior<Command> pruned(Prune prune) {
    long now = clock.millis();
    expiries.values().removeIf(expiry -> expiry < now);
    return Behaviors.same();
  }
}
