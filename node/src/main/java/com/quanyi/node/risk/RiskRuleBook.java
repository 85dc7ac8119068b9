package com.quanyi.node.risk;

import static com.quanyi.protocol.risk.RiskRuleBookProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.risk.ListEntry;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.AddListEntry;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.ChangeRefused;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Changed;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Command;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Current;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Event;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.GetHistory;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.GetRuleSet;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.History;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.ListEntryAdded;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.ListEntryRemoved;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RemoveListEntry;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.ReplaceRules;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RuleChange;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RulesReplaced;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.UnknownEntry;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.UpToDate;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.VersionConflict;
import com.quanyi.protocol.risk.RiskRuleBookProtocol;
import java.time.Clock;
import java.time.Instant;
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
 * The risk rule book (see {@link RiskRuleBookProtocol}). Rule changes replace the whole rule set
 * against the version the operator read (an edit made on a stale copy is refused, not merged);
 * list entries are added and removed one by one. Expired list entries are dropped at the next
 * change; until then the order path skips them by their expiry.
 */
public final class RiskRuleBook extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, RiskRuleBook.State> {

  public record State(RiskRuleSet ruleSet, List<RuleChange> history) implements CborSerializable {}

  private final Clock clock;

  private RiskRuleBook(String entityId, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
    this.clock = clock;
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String entityId, Clock clock) {
    return new RiskRuleBook(entityId, clock);
  }

  @Override
  public State emptyState() {
    return new State(RiskRuleSet.initial(), List.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(GetRuleSet.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            cmd.knownVersion() == state.ruleSet().version() ? new UpToDate() : new Current(state.ruleSet())))
        .onCommand(GetHistory.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new History(state.history())))
        .onCommand(ReplaceRules.class, (state, cmd) -> {
          long version = state.ruleSet().version();
          if (cmd.expectedVersion() != version) {
            return Effect().reply(cmd.replyTo(), new VersionConflict(version));
          }
          // Checked before the write: an event the handler could not apply would stop recovery.
          try {
            new RiskRuleSet(version + 1, cmd.rules(), cmd.onTimeout(), List.of(), cmd.redemption(), cmd.actor(),
                clock.instant());
          } catch (IllegalArgumentException | NullPointerException invalid) {
            return Effect().reply(cmd.replyTo(), new ChangeRefused(invalid.getMessage()));
          }
          return Effect().persist(new RulesReplaced(version + 1, cmd.rules(), cmd.onTimeout(), cmd.redemption(),
                  cmd.actor(), clock.instant()))
              .thenReply(cmd.replyTo(), s -> new Changed(s.ruleSet()));
        })
        .onCommand(AddListEntry.class, (state, cmd) -> {
          ListEntry entry = cmd.entry();
          if (state.ruleSet().lists().stream().anyMatch(e -> e.entryId().equals(entry.entryId()))) {
            return Effect().reply(cmd.replyTo(), new Changed(state.ruleSet()));
          }
          if (state.ruleSet().lists().size() >= RiskRuleSet.MAX_LIST_ENTRIES) {
            return Effect().reply(cmd.replyTo(), new ChangeRefused("the lists hold " + RiskRuleSet.MAX_LIST_ENTRIES
                + " entries; remove some first"));
          }
          return Effect().persist(new ListEntryAdded(state.ruleSet().version() + 1, entry, clock.instant()))
              .thenReply(cmd.replyTo(), s -> new Changed(s.ruleSet()));
        })
        .onCommand(RemoveListEntry.class, (state, cmd) -> {
          if (state.ruleSet().lists().stream().noneMatch(e -> e.entryId().equals(cmd.entryId()))) {
            return Effect().reply(cmd.replyTo(), new UnknownEntry(cmd.entryId()));
          }
          return Effect().persist(new ListEntryRemoved(state.ruleSet().version() + 1, cmd.entryId(), cmd.actor(),
                  clock.instant()))
              .thenReply(cmd.replyTo(), s -> new Changed(s.ruleSet()));
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(RulesReplaced.class, (state, e) -> {
          RiskRuleSet old = state.ruleSet();
          return next(state, new RiskRuleSet(e.version(), e.rules(), e.onTimeout(), live(old.lists(), e.at()),
              e.redemption(), e.actor(), e.at()), new RuleChange(e.version(), "rules replaced: " + e.rules().size()
              + " rule(s)" + (e.redemption() == null ? "" : ", redemption guard " + e.redemption()), e.actor(), e.at()));
        })
        .onEvent(ListEntryAdded.class, (state, e) -> {
          RiskRuleSet old = state.ruleSet();
          List<ListEntry> lists = new ArrayList<>(live(old.lists(), e.at()));
          lists.add(e.entry());
          ListEntry entry = e.entry();
          return next(state, new RiskRuleSet(e.version(), old.rules(), old.onTimeout(), lists, old.redemption(),
              entry.addedBy(), e.at()),
              new RuleChange(e.version(), entry.list() + " " + entry.subject() + " entry " + entry.entryId() + " added"
                  + (entry.expiresAt() == null ? "" : ", expires " + entry.expiresAt()), entry.addedBy(), e.at()));
        })
        .onEvent(ListEntryRemoved.class, (state, e) -> {
          RiskRuleSet old = state.ruleSet();
          List<ListEntry> lists = live(old.lists(), e.at()).stream()
              .filter(entry -> !entry.entryId().equals(e.entryId())).toList();
          return next(state, new RiskRuleSet(e.version(), old.rules(), old.onTimeout(), lists, old.redemption(), e.actor(),
              e.at()),
              new RuleChange(e.version(), "list entry " + e.entryId() + " removed", e.actor(), e.at()));
        })
        .build();
  }

  private static List<ListEntry> live(List<ListEntry> entries, Instant at) {
    return entries.stream().filter(e -> e.liveAt(at)).toList();
  }

  private static State next(State state, RiskRuleSet ruleSet, RuleChange change) {
    List<RuleChange> history = new ArrayList<>(state.history());
    history.add(change);
    if (history.size() > RiskRuleBookProtocol.HISTORY_KEPT) {
      history.subList(0, history.size() - RiskRuleBookProtocol.HISTORY_KEPT).clear();
    }
    return new State(ruleSet, List.copyOf(history));
  }
}
