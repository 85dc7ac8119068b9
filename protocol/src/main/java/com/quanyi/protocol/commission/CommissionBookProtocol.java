package com.quanyi.protocol.commission;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the commission book (one persistent entity for the platform): the commission
 * rules, replaced whole against the version read, every version kept with when it took effect, so
 * that the settlement projection computes an order's commission by the rules in force when it was
 * delivered, however late it reads it. The behavior is {@code node/…/projection/CommissionBook}.
 */
public final class CommissionBookProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "CommissionBook");
  public static final String ENTITY_ID = "commission";

  private CommissionBookProtocol() {}

  public sealed interface Command extends CborSerializable {}

  /** {@code expectedVersion}: the version the operator read (null: whatever is current). */
  public record SetRules(Long expectedVersion, List<CommissionRule> rules, String actor, ActorRef<Reply> replyTo)
      implements Command {}

  public record GetHistory(ActorRef<History> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record RulesChanged(CommissionRuleSet set) implements Event {}

  public sealed interface Reply extends CborSerializable {}

  public record RulesSet(CommissionRuleSet set) implements Reply {}

  public record VersionConflict(long current) implements Reply {}

  /**
   * Every version, oldest first, as of {@code asOf}: every version that took effect by then is in
   * the list (the book answers only after a change it is making is written).
   */
  public record History(List<CommissionRuleSet> versions, Instant asOf) implements Reply {

    /** The version in force at {@code at}. */
    public CommissionRuleSet inForceAt(Instant at) {
      CommissionRuleSet found = CommissionRuleSet.initial();
      for (CommissionRuleSet version : versions) {
        if (!version.since().isAfter(at)) {
          found = version;
        }
      }
      return found;
    }
  }
}
