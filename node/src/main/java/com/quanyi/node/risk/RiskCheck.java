package com.quanyi.node.risk;

import com.quanyi.node.Replies;
import com.quanyi.node.order.RiskStep;
import com.quanyi.persistence.risk.RiskDecisionLog;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.risk.RiskProfileProtocol.Assess;
import com.quanyi.protocol.risk.RiskProfileProtocol.OrderFacts;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileVerdict;
import com.quanyi.protocol.risk.RiskProfileProtocol;
import com.quanyi.protocol.risk.RiskRule.Action;
import com.quanyi.protocol.risk.RiskRule.Subject;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRuleSet.FailPolicy;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskVerdict.Decision;
import com.quanyi.protocol.risk.RiskVerdict;
import com.quanyi.protocol.risk.RuleHit;
import java.util.concurrent.Executor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
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
public final class RiskCheck implements RiskStep {

  static final String TIMEOUT_RULE = "profile-timeout";
  private static final CompletionStage<RiskVerdict> ALLOW = CompletableFuture.completedFuture(RiskVerdict.ALLOW);

  /** Asks one profile; fails (e.g. with a timeout) when the profile does not answer in time. */
  @FunctionalInterface
  interface Profiles {
    CompletionStage<ProfileVerdict> ask(String subject, Assess.Builder assess);

    /** Starts a profile without waiting for it. */
    default void wake(String subject) {}
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
  private final StepTimes times = new StepTimes();
  private final AtomicLong timeouts = new AtomicLong();

  public RiskCheck(ActorSystem<?> system, RiskRulesCache rules, RiskDecisionLog decisions, RiskSettings settings,
      Duration askTimeout) {
    this(shardedProfiles(ClusterSharding.get(system), Replies.dispatcher(system), settings), rules::compiled,
        new SkuRiskLevels(system, settings.skuLevelFor(), askTimeout)::levelOf, decisions::record, Clock.systemUTC());
  }

  RiskCheck(Profiles profiles, Supplier<RiskRulesCache.Compiled> rules,
      Function<String, CompletionStage<RiskLevel>> levels, Recorder decisions, Clock clock) {
    this.profiles = profiles;
    this.rules = rules;
    this.levels = levels;
    this.decisions = decisions;
    this.clock = clock;
  }

  private static Profiles shardedProfiles(ClusterSharding sharding, Executor dispatcher, RiskSettings settings) {
    return new Profiles() {
      @Override
      public CompletionStage<ProfileVerdict> ask(String subject, Assess.Builder assess) {
        return Replies.on(dispatcher,
            sharding.entityRefFor(RiskProfileProtocol.TYPE_KEY, subject).ask(assess::replyTo, settings.timeout()));
      }

      @Override
      public void wake(String subject) {
        sharding.entityRefFor(RiskProfileProtocol.TYPE_KEY, subject).tell(new RiskProfileProtocol.Wake());
      }
    };
  }

  /**
   * Starts the profiles the coming assessment will ask, while the order's own entity starts: a
   * new subject's profile must first read the journal (measured: that read is most of the step).
   */
  @Override
  public void prepare(OrderRequest request) {
    RiskRulesCache.Compiled compiled = rules.get();
    OrderRequest.Buyer buyer = request.buyer();
    if (!compiled.rulesOf(Subject.BUYER).isEmpty()) {
      profiles.wake(RiskProfileProtocol.buyerSubject(request.channelId(), buyer.userId()));
    }
    if (!compiled.rulesOf(Subject.IP).isEmpty()) {
      profiles.wake(RiskProfileProtocol.ipSubject(buyer.ip()));
    }
    if (buyer.deviceId() != null && !compiled.rulesOf(Subject.DEVICE).isEmpty()) {
      profiles.wake(RiskProfileProtocol.deviceSubject(buyer.deviceId()));
    }
  }

  @Override
  public boolean asksProfiles() {
    RiskRulesCache.Compiled compiled = rules.get();
    return !compiled.rulesOf(Subject.BUYER).isEmpty() || !compiled.rulesOf(Subject.IP).isEmpty()
        || !compiled.rulesOf(Subject.DEVICE).isEmpty();
  }

  @Override
  public CompletionStage<RiskVerdict> assess(OrderRequest request, Money amount) {
    RiskRulesCache.Compiled compiled = rules.get();
    if (compiled.isEmptyAt(clock.instant())) {
      return ALLOW;
    }
    long started = System.nanoTime();
    return levels.apply(request.skuId()).thenCompose(level -> decide(compiled, request, amount, level))
        .whenComplete((verdict, failure) -> times.record(System.nanoTime() - started));
  }

  /** How long the step took (when a rule set was in force) and how often a profile did not answer in time. */
  public record Stats(long assessed, long p50Micros, long p99Micros, long p999Micros, long maxMicros,
      long profileTimeouts) {}

  public Stats stats() {
    StepTimes.Summary s = times.summary();
    return new Stats(s.count(), s.p50(), s.p99(), s.p999(), s.max(), timeouts.get());
  }

  public void resetStats() {
    times.reset();
    timeouts.set(0);
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
    asked.add(ask(Subject.BUYER, RiskProfileProtocol.buyerSubject(request.channelId(), buyer.userId()), facts, compiled,
        level, listed.buyerAllowed()));
    asked.add(ask(Subject.IP, RiskProfileProtocol.ipSubject(buyer.ip()), facts, compiled, level, listed.ipAllowed()));
    if (buyer.deviceId() != null) {
      asked.add(ask(Subject.DEVICE, RiskProfileProtocol.deviceSubject(buyer.deviceId()), facts, compiled, level,
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
  private CompletableFuture<List<RuleHit>> ask(Subject kind, String subject, OrderFacts facts,
      RiskRulesCache.Compiled compiled, RiskLevel level, boolean exempt) {
    List<RiskRule> ofKind = compiled.rulesOf(kind);
    if (ofKind.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    RiskRuleSet ruleSet = compiled.ruleSet();
    List<RiskRule> watching = ofKind.stream().filter(r -> r.watches(facts.channelId(), level)).toList();
    return profiles.ask(subject, new Assess.Builder(facts, watching, exempt, ruleSet.version()))
        .handle((verdict, failure) -> {
          if (failure == null) {
            return verdict.hits();
          }
          timeouts.incrementAndGet();
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
