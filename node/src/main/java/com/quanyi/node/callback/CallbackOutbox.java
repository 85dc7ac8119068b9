package com.quanyi.node.callback;

import com.quanyi.node.metrics.OutboxMeter;
import static com.quanyi.protocol.callback.CallbackOutboxProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Ack;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Callback;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.CallbackAttemptFailed;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.CallbackDelivered;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.CallbackParked;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.CallbackQueued;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.CallbackReplayed;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Command;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Enqueue;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Event;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.ListParked;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.NotParked;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.ParkedCallback;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.ParkedList;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Replay;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Requeued;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The callbacks one channel is owed. Each is tried at once, then after each wait of the backoff
 * schedule, then parked. Attempts run beside the order flow: a slow or dead channel server only
 * delays its own callbacks. Remembered by sharding while anything is pending, so retries resume
 * after a restart; it passivates when nothing is.
 */
public final class CallbackOutbox extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, CallbackOutbox.State> {

  /** Callbacks owed, parked, and the ids of recent deliveries (for idempotent enqueues). */
  public record State(Map<String, Pending> pending, Map<String, Parked> parked, List<String> delivered)
      implements CborSerializable {
    static final int REMEMBERED_DELIVERIES = 10_000;

    boolean knows(String eventId) {
      return pending.containsKey(eventId) || parked.containsKey(eventId) || delivered.contains(eventId);
    }
  }

  public record Pending(Callback callback, int failures) implements CborSerializable {}

  public record Parked(Callback callback, int failures, String why, Instant at) implements CborSerializable {}

  /** Internal: time to try a pending callback. */
  private record Attempt(String eventId) implements Command {}

  /** Internal: an attempt ended; {@code failure} empty when acknowledged. */
  private record Attempted(String eventId, Optional<String> failure) implements Command {}

  /** Sharding's stop message after passivation. */
  public record Stop() implements Command {}

  private final String channelId;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final CallbackSender sender;
  private final CallbackSettings settings;
  private final ParkedCallbacks parkedCounts;
  private final Clock clock;
  /** Attempts on their way; transient. */
  private final Set<String> inFlight = new HashSet<>();

  private CallbackOutbox(String channelId, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard, CallbackSender sender, CallbackSettings settings,
      ParkedCallbacks parkedCounts, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), channelId));
    this.channelId = channelId;
    this.ctx = ctx;
    this.timers = timers;
    this.shard = shard;
    this.sender = sender;
    this.settings = settings;
    this.parkedCounts = parkedCounts;
    this.clock = clock;
  }

  public static void init(ActorSystem<?> system, CallbackSender sender, CallbackSettings settings,
      ParkedCallbacks parkedCounts) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entity -> Behaviors.<Command>setup(ctx ->
            Behaviors.withTimers(timers -> new CallbackOutbox(entity.getEntityId(), ctx, timers, entity.getShard(),
                sender, settings, parkedCounts, Clock.systemUTC()))))
        .withStopMessage(new Stop())
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  @Override
  public State emptyState() {
    return new State(Map.of(), Map.of(), List.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(500, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          OutboxMeter.owes(channelId, state.pending().size());
          parkedCounts.record(channelId, state.parked().size());
          state.pending().keySet().forEach(id -> ctx.getSelf().tell(new Attempt(id)));
        })
        .onSignal(PostStop.instance(), state -> OutboxMeter.gone(channelId))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Enqueue.class, (state, cmd) -> state.knows(cmd.callback().eventId())
            ? Effect().reply(cmd.replyTo(), new Ack())
            : Effect().persist(new CallbackQueued(cmd.callback(), clock.instant()))
                .thenRun(s -> ctx.getSelf().tell(new Attempt(cmd.callback().eventId())))
                .thenReply(cmd.replyTo(), s -> new Ack()))
        .onCommand(Attempt.class, this::attempt)
        .onCommand(Attempted.class, this::attempted)
        .onCommand(ListParked.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new ParkedList(
            state.parked().values().stream().sorted(Comparator.comparing(Parked::at))
                .map(p -> new ParkedCallback(p.callback().eventId(), p.callback().orderId(), p.callback().url(),
                    p.failures(), p.why(), p.at())).toList())))
        .onCommand(Replay.class, (state, cmd) -> !state.parked().containsKey(cmd.eventId())
            ? Effect().reply(cmd.replyTo(), new NotParked(cmd.eventId()))
            : Effect().persist(new CallbackReplayed(cmd.eventId(), cmd.actor(), clock.instant()))
                .thenRun(s -> {
                  parkedCounts.record(channelId, s.parked().size());
                  ctx.getSelf().tell(new Attempt(cmd.eventId()));
                })
                .thenReply(cmd.replyTo(), s -> new Requeued(cmd.eventId())))
        .onCommand(Stop.class, (state, cmd) -> Effect().stop().thenNoReply())
        .build();
  }

  private ReplyEffect<Event, State> attempt(State state, Attempt cmd) {
    Pending pending = state.pending().get(cmd.eventId());
    if (pending != null && inFlight.add(cmd.eventId())) {
      ctx.pipeToSelf(sender.send(channelId, pending.callback()), (failure, error) -> new Attempted(cmd.eventId(),
          error != null ? Optional.of("not sent") : failure));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> attempted(State state, Attempted cmd) {
    inFlight.remove(cmd.eventId());
    Pending pending = state.pending().get(cmd.eventId());
    if (pending == null) {
      return Effect().noReply();
    }
    Instant now = clock.instant();
    if (cmd.failure().isEmpty()) {
      return Effect().persist(new CallbackDelivered(cmd.eventId(), pending.failures() + 1, now))
          .thenRun(this::passivateWhenIdle)
          .thenNoReply();
    }
    int failures = pending.failures() + 1;
    String why = cmd.failure().get();
    if (failures > settings.backoff().size()) {
      return Effect().persist(new CallbackParked(cmd.eventId(), why, now))
          .thenRun(s -> {
            parkedCounts.record(channelId, s.parked().size());
            passivateWhenIdle(s);
          })
          .thenNoReply();
    }
    return Effect().persist(new CallbackAttemptFailed(cmd.eventId(), failures, why, now))
        .thenRun(s -> timers.startSingleTimer(cmd.eventId(), new Attempt(cmd.eventId()),
            settings.backoff().get(failures - 1)))
        .thenNoReply();
  }

  private void passivateWhenIdle(State state) {
    if (state.pending().isEmpty()) {
      shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    }
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    EventHandler<State, Event> applied = events();
    // The meter is set, not counted: during recovery too it ends at what the state holds.
    return (state, event) -> {
      State next = applied.apply(state, event);
      OutboxMeter.owes(channelId, next.pending().size());
      return next;
    };
  }

  private EventHandler<State, Event> events() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(CallbackQueued.class, (state, e) -> {
          Map<String, Pending> pending = new HashMap<>(state.pending());
          pending.put(e.callback().eventId(), new Pending(e.callback(), 0));
          return new State(pending, state.parked(), state.delivered());
        })
        .onEvent(CallbackAttemptFailed.class, (state, e) -> {
          Map<String, Pending> pending = new HashMap<>(state.pending());
          pending.computeIfPresent(e.eventId(), (id, p) -> new Pending(p.callback(), e.attempt()));
          return new State(pending, state.parked(), state.delivered());
        })
        .onEvent(CallbackDelivered.class, (state, e) -> {
          Map<String, Pending> pending = new HashMap<>(state.pending());
          pending.remove(e.eventId());
          LinkedHashSet<String> delivered = new LinkedHashSet<>(state.delivered());
          delivered.add(e.eventId());
          List<String> recent = new ArrayList<>(delivered);
          return new State(pending, state.parked(), List.copyOf(recent.subList(
              Math.max(0, recent.size() - State.REMEMBERED_DELIVERIES), recent.size())));
        })
        .onEvent(CallbackParked.class, (state, e) -> {
          Map<String, Pending> pending = new HashMap<>(state.pending());
          Pending parkedOne = pending.remove(e.eventId());
          Map<String, Parked> parked = new HashMap<>(state.parked());
          if (parkedOne != null) {
            parked.put(e.eventId(), new Parked(parkedOne.callback(), parkedOne.failures() + 1, e.why(), e.at()));
          }
          return new State(pending, parked, state.delivered());
        })
        .onEvent(CallbackReplayed.class, (state, e) -> {
          Map<String, Parked> parked = new HashMap<>(state.parked());
          Parked replayed = parked.remove(e.eventId());
          Map<String, Pending> pending = new HashMap<>(state.pending());
          if (replayed != null) {
            pending.put(e.eventId(), new Pending(replayed.callback(), 0));
          }
          return new State(pending, parked, state.delivered());
        })
        .build();
  }
}
