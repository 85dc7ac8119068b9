package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.risk.RiskRuleSet.FailPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the risk rule book (one persistent entity for the platform): the rules, lists
 * and timeout policies operators change at run time. Every change is an event naming who made it
 * and a new version, so the journal is the audit trail. The behavior is {@code node/…/risk/RiskRuleBook}.
 */
public final class RiskRuleBookProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "RiskRuleBook");
  public static final String ENTITY_ID = "rules";
  /** Changes kept in the rule book's state for the history endpoint; the journal keeps all. */
  public static final int HISTORY_KEPT = 500;

  private RiskRuleBookProtocol() {}

  public sealed interface Command extends CborSerializable {}

  /**
   * Replaces the rules, timeout policies and redemption guard (null: the configured defaults), if
   * the rule book is still at {@code expectedVersion}.
   */
  public record ReplaceRules(long expectedVersion, List<RiskRule> rules, Map<RiskLevel, FailPolicy> onTimeout,
      RedemptionGuard redemption, String actor, ActorRef<Change> replyTo) implements Command {}

  /** Adds a list entry (its id chosen by the caller; adding the same id again changes nothing). */
  public record AddListEntry(ListEntry entry, ActorRef<Change> replyTo) implements Command {}

  public record RemoveListEntry(String entryId, String actor, ActorRef<Change> replyTo) implements Command {}

  /** Answers {@link UpToDate} when the asker already holds {@code knownVersion}. */
  public record GetRuleSet(long knownVersion, ActorRef<RuleSetReply> replyTo) implements Command {}

  public record GetHistory(ActorRef<History> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  /** {@code redemption}: null in events written before the guard was part of the rule set. */
  public record RulesReplaced(long version, List<RiskRule> rules, Map<RiskLevel, FailPolicy> onTimeout,
      RedemptionGuard redemption, String actor, Instant at) implements Event {}

  public record ListEntryAdded(long version, ListEntry entry, Instant at) implements Event {}

  public record ListEntryRemoved(long version, String entryId, String actor, Instant at) implements Event {}

  public sealed interface Change extends CborSerializable {}

  public record Changed(RiskRuleSet ruleSet) implements Change {}

  public record VersionConflict(long currentVersion) implements Change {}

  public record UnknownEntry(String entryId) implements Change {}

  /** The change would break a limit (too many entries); nothing changed. */
  public record ChangeRefused(String reason) implements Change {}

  public sealed interface RuleSetReply extends CborSerializable {}

  public record Current(RiskRuleSet ruleSet) implements RuleSetReply {}

  public record UpToDate() implements RuleSetReply {}

  /** One change as the history shows it: what changed, by whom, when, at which version. */
  public record RuleChange(long version, String change, String actor, Instant at) implements CborSerializable {}

  public record History(List<RuleChange> changes) implements CborSerializable {}
}
