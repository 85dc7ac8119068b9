package com.quanyi.node.risk;

import com.quanyi.node.Replies;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskRuleBookProtocol;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Current;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.GetRuleSet;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RuleSetReply;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRule.Subject;
import java.util.concurrent.Executor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * This node's copy of the rule set. It asks the rule book every {@code refreshEvery} whether its
 * version is still current (a small message when nothing changed), so a change made on any node is
 * in force on every node within that time; a change made through this node is in force here at
 * once. The order path reads the copy without waiting.
 */
public final class RiskRulesCache {

  private final AtomicReference<Compiled> current = new AtomicReference<>(new Compiled(RiskRuleSet.initial()));
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final Duration askTimeout;
  private final CompletableFuture<Done> loaded = new CompletableFuture<>();

  /** A rule set with its lists indexed and its rules grouped by subject kind, built once per version. */
  record Compiled(RiskRuleSet ruleSet, RiskLists lists, Map<Subject, List<RiskRule>> rulesByKind) {
    Compiled(RiskRuleSet ruleSet) {
      this(ruleSet, new RiskLists(ruleSet.lists()), byKind(ruleSet.rules()));
    }

    /** This kind's rules; empty when the rule set has none (then its profiles are not asked). */
    List<RiskRule> rulesOf(Subject kind) {
      return rulesByKind.getOrDefault(kind, List.of());
    }

    private static Map<Subject, List<RiskRule>> byKind(List<RiskRule> rules) {
      Map<Subject, List<RiskRule>> grouped = new EnumMap<>(Subject.class);
      for (RiskRule rule : rules) {
        grouped.computeIfAbsent(rule.subject(), k -> new ArrayList<>()).add(rule);
      }
      grouped.replaceAll((kind, list) -> List.copyOf(list));
      return grouped;
    }

    boolean isEmptyAt(Instant now) {
      return ruleSet.rules().isEmpty() && lists.isEmptyAt(now);
    }
  }

  public RiskRulesCache(ActorSystem<?> system, Duration refreshEvery, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, refreshEvery, this::refresh, system.executionContext());
  }

  /** Completes once the rule book has answered: a node serves orders only after that. */
  public CompletionStage<Done> loaded() {
    return loaded;
  }

  public RiskRuleSet ruleSet() {
    return current.get().ruleSet();
  }

  Compiled compiled() {
    return current.get();
  }

  /** Takes a rule set this node just changed (or read), if it is newer than the one held. */
  public void offer(RiskRuleSet ruleSet) {
    current.updateAndGet(held -> ruleSet.version() > held.ruleSet().version() ? new Compiled(ruleSet) : held);
  }

  private void refresh() {
    long known = current.get().ruleSet().version();
    Replies.on(dispatcher, sharding.entityRefFor(RiskRuleBookProtocol.TYPE_KEY, RiskRuleBookProtocol.ENTITY_ID)
        .<RuleSetReply>ask(r -> new GetRuleSet(known, r), askTimeout))
        .thenAccept(reply -> {
          if (reply instanceof Current fresh) {
            offer(fresh.ruleSet());
          }
          loaded.complete(Done.getInstance());
        });
  }
}
