package com.quanyi.node.settlement;

import static com.quanyi.protocol.commission.CommissionBookProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.commission.CommissionBookProtocol.Command;
import com.quanyi.protocol.commission.CommissionBookProtocol.Event;
import com.quanyi.protocol.commission.CommissionBookProtocol.GetHistory;
import com.quanyi.protocol.commission.CommissionBookProtocol.History;
import com.quanyi.protocol.commission.CommissionBookProtocol.RulesChanged;
import com.quanyi.protocol.commission.CommissionBookProtocol.RulesSet;
import com.quanyi.protocol.commission.CommissionBookProtocol.SetRules;
import com.quanyi.protocol.commission.CommissionBookProtocol.VersionConflict;
import com.quanyi.protocol.commission.CommissionRuleSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The commission book: every version of the commission rules with who set it and when it took
 * effect (the time the book wrote it). Versions are only ever added, so an order's commission,
 * computed by the version in force when it was delivered, comes out the same on every replay.
 */
public final class CommissionBook
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, CommissionBook.State> {

  /** Every version, oldest first; the last is in force. */
  public record State(List<CommissionRuleSet> versions) implements CborSerializable {
    CommissionRuleSet current() {
      return versions.isEmpty() ? CommissionRuleSet.initial() : versions.get(versions.size() - 1);
    }
  }

  private final Clock clock;

  private CommissionBook(String entityId, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
    this.clock = clock;
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String entityId, Clock clock) {
    return new CommissionBook(entityId, clock);
  }

  @Override
  public State emptyState() {
    return new State(List.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(GetHistory.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new History(state.versions(), clock.instant())))
        .onCommand(SetRules.class, (state, cmd) -> {
          long version = state.current().version();
          if (cmd.expectedVersion() != null && cmd.expectedVersion() != version) {
            return Effect().reply(cmd.replyTo(), new VersionConflict(version));
          }
          // Built (and so checked) before the write: an event that could not be applied would stop recovery.
          CommissionRuleSet next = new CommissionRuleSet(version + 1, cmd.rules(), cmd.actor(), clock.instant());
          return Effect().persist(new RulesChanged(next)).thenReply(cmd.replyTo(), s -> new RulesSet(next));
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(RulesChanged.class, (state, e) -> {
          List<CommissionRuleSet> versions = new ArrayList<>(state.versions());
          versions.add(e.set());
          return new State(List.copyOf(versions));
        })
        .build();
  }
}
