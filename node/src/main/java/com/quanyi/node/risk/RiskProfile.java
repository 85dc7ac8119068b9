package com.quanyi.node.risk;

import static com.quanyi.protocol.risk.RiskProfileProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.risk.RiskProfileProtocol;
import com.quanyi.protocol.risk.RiskProfileProtocol.Assess;
import com.quanyi.protocol.risk.RiskProfileProtocol.BlockLifted;
import com.quanyi.protocol.risk.RiskProfileProtocol.Command;
import com.quanyi.protocol.risk.RiskProfileProtocol.Event;
import com.quanyi.protocol.risk.RiskProfileProtocol.FirstSeen;
import com.quanyi.protocol.risk.RiskProfileProtocol.GetProfile;
import com.quanyi.protocol.risk.RiskProfileProtocol.OrderFacts;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileVerdict;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileView;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileWindows;
import com.quanyi.protocol.risk.RiskProfileProtocol.RecentHit;
import com.quanyi.protocol.risk.RiskProfileProtocol.Stop;
import com.quanyi.protocol.risk.RiskProfileProtocol.SubjectBlocked;
import com.quanyi.protocol.risk.RiskProfileProtocol.Unblock;
import com.quanyi.protocol.risk.RiskProfileProtocol.Wake;
import com.quanyi.protocol.risk.RiskProfileProtocol.WindowsKept;
import com.quanyi.protocol.risk.RiskRule.Action;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RuleHit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The risk profile of one subject (see {@link com.quanyi.protocol.risk.RiskProfileProtocol}). It judges
 * an order in memory and answers before any write: its windows are never written per order. What
 * must outlive the actor is an event: when a buyer was first seen, blocks, and the windows
 * themselves when the profile goes idle or is stopped (rebalance, shutdown), so a passivated or
 * moved profile starts from its counts. A node that crashes loses the counts since its profiles
 * last stopped (docs/risk.md).
 */
public final class RiskProfile extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, RiskProfile.State> {

  /** Nothing asked for a while; the profile passivates. */
  record Idle() implements RiskProfileProtocol.Internal {}

  /** Hits kept in memory for the operators' view of a subject; the decision log keeps them all. */
  static final int RECENT_HITS = 20;
  static final Duration BLOCK_EXTENSION_STEP = Duration.ofMinutes(1);

  /** {@code windows}: as last kept, only read at recovery. */
  public record State(Instant firstSeen, Instant blockedUntil, String blockRuleId, String blockReason,
      ProfileWindows windows) implements CborSerializable {

    boolean blockedAt(Instant now) {
      return blockedUntil != null && blockedUntil.isAfter(now);
    }
  }

  private final String subject;
  private final Clock clock;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorRef<Command> self;
  private RiskWindows windows = new RiskWindows();
  private final ArrayDeque<RecentHit> recent = new ArrayDeque<>();

  private RiskProfile(String subject, Clock clock, ActorRef<ClusterSharding.ShardCommand> shard, ActorRef<Command> self) {
    super(PersistenceId.of(TYPE_KEY.name(), subject));
    this.subject = subject;
    this.clock = clock;
    this.shard = shard;
    this.self = self;
  }

  /** @param idleAfter a profile asked nothing for this long passivates (keeping its windows) */
  public static void init(ActorSystem<?> system, Duration idleAfter) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(), Clock.systemUTC(),
            entity.getShard(), idleAfter))
        .withStopMessage(new Stop()));
  }

  public static Behavior<Command> create(String subject, Clock clock, ActorRef<ClusterSharding.ShardCommand> shard,
      Duration idleAfter) {
    return Behaviors.setup(ctx -> {
      ctx.setReceiveTimeout(idleAfter, new Idle());
      return new RiskProfile(subject, clock, shard, ctx.getSelf());
    });
  }

  @Override
  public State emptyState() {
    return new State(null, null, null, null, null);
  }

  /** Only the windows event snapshots: recovery then reads one snapshot and the few events after it. */
  @Override
  public boolean shouldSnapshot(State state, Event event, long sequenceNr) {
    return event instanceof WindowsKept;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> windows = RiskWindows.restore(state.windows()))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Assess.class, this::assess)
        .onCommand(GetProfile.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)))
        .onCommand(Wake.class, (state, cmd) -> Effect().noReply())
        .onCommand(Unblock.class, (state, cmd) -> state.blockedAt(clock.instant())
            ? Effect().persist(new BlockLifted(cmd.actor(), clock.instant())).thenReply(cmd.replyTo(), this::view)
            : Effect().reply(cmd.replyTo(), view(state)))
        .onCommand(Idle.class, (state, cmd) -> {
          shard.tell(new ClusterSharding.Passivate<>(self));
          return Effect().noReply();
        })
        .onCommand(Stop.class, (state, cmd) -> windows.isEmpty()
            ? Effect().stop().thenNoReply()
            : Effect().persist(new WindowsKept(windows.save(), clock.instant())).thenStop().thenNoReply())
        .build();
  }

  /**
   * Judges and answers at once; the events it may cause (first sighting of a buyer, a block) are
   * written after the answer, since the answer does not depend on them.
   */
  private ReplyEffect<Event, State> assess(State state, Assess cmd) {
    Instant now = clock.instant();
    OrderFacts order = cmd.order();
    List<RuleHit> hits = new ArrayList<>();
    if (state.blockedAt(now)) {
      hits.add(new RuleHit(state.blockRuleId(), subject, state.blockReason(), Action.REJECT, false, 0, 0));
    }
    if (!cmd.exempt()) {
      hits.addAll(RuleEvaluation.hits(subject, cmd.rules(), windows, order, state.firstSeen(), now));
    }
    boolean rejected = hits.stream().anyMatch(h -> h.acts() && h.action() == Action.REJECT);
    if (!rejected) {
      windows.add(now, order.units(), order.amount(), subject.startsWith("buyer:") ? null : order.buyer(),
          subject.startsWith("ip:") ? null : order.ip(), subject.startsWith("device:") ? null : order.deviceId());
    }
    hits.forEach(hit -> remember(order.orderId(), hit, now));
    cmd.replyTo().tell(new ProfileVerdict(subject, hits, !rejected));

    List<Event> events = new ArrayList<>();
    if (state.firstSeen() == null && subject.startsWith("buyer:")) {
      events.add(new FirstSeen(now));
    }
    blockFrom(state, cmd.rules(), hits, order.orderId(), now).ifPresent(events::add);
    return events.isEmpty() ? Effect().noReply() : Effect().persist(events).thenNoReply();
  }

  /**
   * The longest block among the acting rules that block. A subject already blocked is blocked
   * again only to end at least {@link #BLOCK_EXTENSION_STEP} later: a farm hammering a blocked
   * address must not cost a write per attempt (each would hold up the profile's answers).
   */
  private static Optional<SubjectBlocked> blockFrom(State state, List<RiskRule> rules, List<RuleHit> hits,
      String orderId, Instant now) {
    SubjectBlocked longest = null;
    for (RuleHit hit : hits) {
      if (!hit.acts()) {
        continue;
      }
      for (RiskRule rule : rules) {
        if (rule.ruleId().equals(hit.ruleId()) && rule.blockFor() != null) {
          Instant until = now.plus(rule.blockFor());
          if (longest == null || until.isAfter(longest.until())) {
            longest = new SubjectBlocked(until, rule.ruleId(), rule.reason(), orderId, now);
          }
        }
      }
    }
    if (longest == null || state.blockedAt(now)
        && !longest.until().isAfter(state.blockedUntil().plus(BLOCK_EXTENSION_STEP))) {
      return Optional.empty();
    }
    return Optional.of(longest);
  }

  private void remember(String orderId, RuleHit hit, Instant at) {
    recent.addFirst(new RecentHit(orderId, hit, at));
    while (recent.size() > RECENT_HITS) {
      recent.removeLast();
    }
  }

  private ProfileView view(State state) {
    Instant now = clock.instant();
    boolean blocked = state.blockedAt(now);
    return new ProfileView(subject, state.firstSeen(), blocked ? state.blockedUntil() : null,
        blocked ? state.blockReason() : null, windows.counts(now), List.copyOf(recent));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(FirstSeen.class, (s, e) -> new State(e.at(), s.blockedUntil(), s.blockRuleId(), s.blockReason(),
            s.windows()))
        .onEvent(SubjectBlocked.class, (s, e) -> new State(s.firstSeen(), e.until(), e.ruleId(), e.reason(),
            s.windows()))
        .onEvent(BlockLifted.class, (s, e) -> new State(s.firstSeen(), null, null, null, s.windows()))
        .onEvent(WindowsKept.class, (s, e) -> new State(s.firstSeen(), s.blockedUntil(), s.blockRuleId(),
            s.blockReason(), e.windows()))
        .build();
  }
}
