package com.quanyi.node.risk;

import com.quanyi.node.order.RiskStep;
import com.quanyi.persistence.risk.RiskDecisionLog;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.risk.RiskProtocol;
import com.quanyi.protocol.risk.RiskProtocol.Assess;
import com.quanyi.protocol.risk.RiskProtocol.OrderFacts;
import com.quanyi.protocol.risk.RiskProtocol.ProfileVerdict;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRule.Action;
import com.quanyi.protocol.risk.RiskRule.Subject;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskRuleSet.FailPolicy;
import com.quanyi.protocol.risk.RiskVerdict;
import com.quanyi.protocol.risk.RiskVerdict.Decision;
import com.quanyi.protocol.risk.RuleHit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The order path's risk step: block and allow lists first (in this node's memory), then the
 * buyer's, the IP's and the device's profiles asked at once; the worst acting verdict decides
 * (REJECT over REVIEW over ALLOW), shadow hits are only recorded. A profile that does not answer
 * within {@code quanyi.risk.timeout} counts per the SKU risk level's fail policy. Every decision
 * under a non-empty rule set goes to the {@link RiskDecisionLog}.
 */
public final class RiskDesk implements RiskStep {

  static final String TIMEOUT_RULE = "profile-timeout";
  private static final CompletionStage<RiskVerdict> ALLOW = CompletableFuture.completedFuture(RiskVerdict.ALLOW);

  /** Asks one profile; fails (e.g. with a timeout) when the profile does not answer in time. */
  @FunctionalInterface
  interface Profiles {
    CompletionStage<ProfileVerdict> ask(String subject, Assess.Builder assess);
  }

  /** Where decisions go: the {@link RiskDecisionLog} in a node. */
  @FunctionalInterface
  interface Recorder {
    void record(String orderId, String skuId, String riskLevel, RiskVerdict verdict, Instant at);
  }

  private final Profiles profiles;
  private final Supplier<RiskRulesCache.Compiled> rules;
  private final Function<String, CompletionStage<RiskLevel>> levels;
  private final Recorder decisions;
  private final Clock clock;

  public RiskDesk(ActorSystem<?> system, RiskRulesCache rules, RiskDecisionLog decisions, RiskSettings settings,
      java.time.Duration askTimeout) {
    this(shardedProfiles(ClusterSharding.get(system), settings), rules::compiled,
        new SkuRiskLevels(system, settings.skuLevelFor(), askTimeout)::levelOf, decisions::record, Clock.systemUTC());
  }

  RiskDesk(Profiles profiles, Supplier<RiskRulesCache.Compiled> rules,
      Function<String, CompletionStage<RiskLevel>> levels, Recorder decisions, Clock clock) {
    this.profiles = profiles;
    this.rules = rules;
    this.levels = levels;
    this.decisions = decisions;
    this.clock = clock;
  }

  private static Profiles shardedProfiles(ClusterSharding sharding, RiskSettings settings) {
    return (subject, assess) -> sharding.entityRefFor(RiskProtocol.TYPE_KEY, subject)
        .ask(assess::replyTo, settings.timeout());
  }

  @Override
  public CompletionStage<RiskVerdict> assess(OrderRequest request, Money amount) {
    RiskRulesCache.Compiled compiled = rules.get();
    if (compiled.isEmptyAt(clock.instant())) {
      return ALLOW;
    }
    return levels.apply(request.skuId()).thenCompose(level -> decide(compiled, request, amount, level));
  }

  private CompletionStage<RiskVerdict> decide(RiskRulesCache.Compiled compiled, OrderRequest request, Money amount,
      RiskLevel level) {
    Instant now = clock.instant();
    RiskRuleSet ruleSet = compiled.ruleSet();
    OrderRequest.Buyer buyer = request.buyer();
    String buyerId = request.channelId() + "/" + buyer.userId();
    RiskLists.Verdict listed = compiled.lists().check(buyerId, buyer.ip(), buyer.deviceId(),
        request.rechargeAccount(), now);
    if (!listed.blocks().isEmpty()) {
      return CompletableFuture.completedFuture(recorded(request, level, combine(listed.blocks(), ruleSet), now));
    }
    OrderFacts facts = new OrderFacts(request.orderId(), request.channelId(), buyerId, buyer.ip(), buyer.deviceId(),
        request.quantity(), amount.amount(), now);
    List<CompletableFuture<List<RuleHit>>> asked = new ArrayList<>();
    asked.add(ask(Subject.BUYER, RiskProtocol.buyerSubject(request.channelId(), buyer.userId()), facts, ruleSet,
        level, listed.buyerAllowed()));
    asked.add(ask(Subject.IP, RiskProtocol.ipSubject(buyer.ip()), facts, ruleSet, level, listed.ipAllowed()));
    if (buyer.deviceId() != null) {
      asked.add(ask(Subject.DEVICE, RiskProtocol.deviceSubject(buyer.deviceId()), facts, ruleSet, level,
          listed.deviceAllowed()));
    }
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<RuleHit> hits = new ArrayList<>();
      asked.forEach(a -> hits.addAll(a.join()));
      return recorded(request, level, combine(hits, ruleSet), now);
    });
  }

  /**
   * Asks one profile, unless no rule of the rule set concerns its kind of subject (then nothing
   * it could say matters, blocks from earlier rules included: removing all IP rules stops IP checks).
   */
  private CompletableFuture<List<RuleHit>> ask(Subject kind, String subject, OrderFacts facts, RiskRuleSet ruleSet,
      RiskLevel level, boolean exempt) {
    if (ruleSet.rules().stream().noneMatch(r -> r.subject() == kind)) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<RiskRule> watching = ruleSet.rules().stream()
        .filter(r -> r.subject() == kind && r.watches(facts.channelId(), level)).toList();
    return profiles.ask(subject, new Assess.Builder(facts, watching, exempt, ruleSet.version()))
        .handle((verdict, failure) -> {
          if (failure == null) {
            return verdict.hits();
          }
          boolean open = ruleSet.onTimeout(level) == FailPolicy.OPEN;
          // Failing open is recorded as a shadow hit: the decision log shows the check was skipped.
          return List.of(new RuleHit(TIMEOUT_RULE, subject, "RISK_UNAVAILABLE", Action.REJECT, open, 0, 0));
        })
        .toCompletableFuture();
  }

  static RiskVerdict combine(List<RuleHit> hits, RiskRuleSet ruleSet) {
    RuleHit rejecting = null;
    RuleHit reviewing = null;
    for (RuleHit hit : hits) {
      if (!hit.acts()) {
        continue;
      }
      if (hit.action() == Action.REJECT && rejecting == null) {
        rejecting = hit;
      } else if (hit.action() == Action.REVIEW && reviewing == null) {
        reviewing = hit;
      }
    }
    if (rejecting != null) {
      return new RiskVerdict(Decision.REJECT, rejecting.reason(), hits, ruleSet.version());
    }
    if (reviewing != null) {
      return new RiskVerdict(Decision.REVIEW, reviewing.reason(), hits, ruleSet.version());
    }
    return new RiskVerdict(Decision.ALLOW, null, hits, ruleSet.version());
  }

  private RiskVerdict recorded(OrderRequest request, RiskLevel level, RiskVerdict verdict, Instant at) {
    decisions.record(request.orderId(), request.skuId(), level.name(), verdict, at);
    return verdict;
  }
}
