package com.quanyi.node.risk;

import com.quanyi.node.Replies;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.channel.ChannelService.Done;
import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.http.channel.ChannelService.Refused;
import com.quanyi.http.risk.RiskService;
import com.quanyi.persistence.risk.RiskDecisionLog;
import com.quanyi.protocol.risk.ListEntry;
import com.quanyi.protocol.risk.RiskProfileProtocol;
import com.quanyi.protocol.risk.RiskProfileProtocol.GetProfile;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileView;
import com.quanyi.protocol.risk.RiskProfileProtocol.Unblock;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskRuleBookProtocol;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.AddListEntry;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Change;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.ChangeRefused;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Changed;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.Current;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.GetHistory;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.GetRuleSet;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.History;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RemoveListEntry;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.ReplaceRules;
import com.quanyi.protocol.risk.RedemptionGuard;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RuleChange;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RuleSetReply;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.VersionConflict;
import java.util.concurrent.Executor;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The admin side of risk control over the rule book, the profiles and the decision log. A change
 * made here is handed to this node's {@link RiskRulesCache} at once; other nodes read it within
 * their refresh interval. The decision log and cache arrive when the node has Cassandra
 * ({@link #started}); until then the API answers 503 for every request anyway.
 */
public final class RiskDesk implements RiskService {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int DECISIONS_PER_SUBJECT = 50;

  private final RedemptionGuard guardDefaults;
  private final ClusterSharding sharding;

  /** Where the continuations of entity replies run (see Replies). */

  private final Executor dispatcher;
  private final Duration askTimeout;
  private final Clock clock = Clock.systemUTC();
  private volatile RiskRulesCache cache;
  private volatile RiskDecisionLog decisionLog;
  private volatile RiskCheck desk;

  /** @param guardDefaults the redemption guard in force while the rule set gives none (config) */
  public RiskDesk(ActorSystem<?> system, Duration askTimeout, RedemptionGuard guardDefaults) {
    this.guardDefaults = guardDefaults;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  public void started(RiskRulesCache rulesCache, RiskDecisionLog log, RiskCheck riskCheck) {
    this.cache = rulesCache;
    this.decisionLog = log;
    this.desk = riskCheck;
  }

  @Override
  public StepStats stats(boolean reset) {
    RiskCheck.Stats s = desk.stats();
    StepStats stats = new StepStats(s.assessed(), s.p50Micros(), s.p99Micros(), s.p999Micros(), s.maxMicros(),
        s.profileTimeouts(), decisionLog.dropped());
    if (reset) {
      desk.resetStats();
    }
    return stats;
  }

  @Override
  public CompletionStage<RuleSetInfo> rules() {
    return current().thenApply(this::info);
  }

  @Override
  public CompletionStage<Outcome<RuleSetInfo>> replaceRules(RulesUpdate update, String actor) {
    return change(r -> new ReplaceRules(update.expectedVersion(), update.rules(), update.onTimeout(),
        update.redemption(), actor, r), this::info);
  }

  @Override
  public CompletionStage<List<RuleChange>> history() {
    return Replies.on(dispatcher, book().<History>ask(GetHistory::new, askTimeout)).thenApply(History::changes);
  }

  @Override
  public CompletionStage<ListInfo> lists() {
    Instant now = clock.instant();
    return current().thenApply(set -> new ListInfo(set.version(),
        set.lists().stream().filter(e -> e.liveAt(now)).toList(), cache.ruleSet().version()));
  }

  @Override
  public CompletionStage<Outcome<ListEntry>> addListEntry(NewListEntry entry, String actor) {
    Instant now = clock.instant();
    if (entry.expiresAt() != null && !entry.expiresAt().isAfter(now)) {
      return refused(ProblemCode.INVALID_REQUEST, "expiresAt must be in the future");
    }
    ListEntry listed;
    try {
      listed = new ListEntry("e" + HexFormat.of().formatHex(randomBytes()), entry.list(), entry.subject(),
          entry.value(), entry.expiresAt(), entry.reason(), actor, now);
    } catch (IllegalArgumentException e) {
      return refused(ProblemCode.INVALID_REQUEST, e.getMessage());
    }
    return change(r -> new AddListEntry(listed, r), set -> listed);
  }

  @Override
  public CompletionStage<Outcome<ListInfo>> removeListEntry(String entryId, String actor) {
    Instant now = clock.instant();
    return change(r -> new RemoveListEntry(entryId, actor, r),
        set -> new ListInfo(set.version(), set.lists().stream().filter(e -> e.liveAt(now)).toList(),
            cache.ruleSet().version()));
  }

  @Override
  public CompletionStage<List<DecisionInfo>> decisions(String orderId) {
    return decisionLog.byOrder(orderId).thenApply(list -> list.stream().map(RiskDesk::info).toList());
  }

  @Override
  public CompletionStage<Outcome<SubjectInfo>> subject(String subject) {
    return subjectInfo(subject, profile -> Replies.on(dispatcher, profile.<ProfileView>ask(GetProfile::new, askTimeout)));
  }

  @Override
  public CompletionStage<Outcome<SubjectInfo>> unblock(String subject, String actor) {
    if (subject.startsWith("account:")) {
      return refused(ProblemCode.INVALID_REQUEST, "recharge accounts are blocked by list entries only");
    }
    return subjectInfo(subject, profile -> Replies.on(dispatcher, profile.<ProfileView>ask(r -> new Unblock(actor, r), askTimeout)));
  }

  private CompletionStage<Outcome<SubjectInfo>> subjectInfo(String subject,
      Function<EntityRef<RiskProfileProtocol.Command>, CompletionStage<ProfileView>> ask) {
    CompletionStage<List<DecisionInfo>> decided = decisionLog.bySubject(subject, DECISIONS_PER_SUBJECT)
        .thenApply(list -> list.stream().map(RiskDesk::info).toList());
    // Recharge accounts have no profile: lists decide about them.
    CompletionStage<ProfileView> profile = subject.startsWith("account:")
        ? CompletableFuture.completedFuture(null)
        : ask.apply(sharding.entityRefFor(RiskProfileProtocol.TYPE_KEY, subject));
    return profile.thenCombine(decided, (view, list) -> new Done<>(new SubjectInfo(view, list)));
  }

  private CompletionStage<RiskRuleSet> current() {
    return Replies.on(dispatcher, book().<RuleSetReply>ask(r -> new GetRuleSet(-1, r), askTimeout))
        .thenApply(reply -> ((Current) reply).ruleSet());
  }

  private <T> CompletionStage<Outcome<T>> change(
      Function<org.apache.pekko.actor.typed.ActorRef<Change>, RiskRuleBookProtocol.Command> command,
      Function<RiskRuleSet, T> view) {
    return Replies.on(dispatcher, book().<Change>ask(command::apply, askTimeout)).thenApply(change -> {
      if (change instanceof Changed changed) {
        cache.offer(changed.ruleSet());
        return new Done<>(view.apply(changed.ruleSet()));
      }
      if (change instanceof VersionConflict conflict) {
        return new Refused<>(ProblemCode.VERSION_CONFLICT, "the rule set is at version " + conflict.currentVersion()
            + "; read it again and apply your change to that version");
      }
      if (change instanceof ChangeRefused refusedChange) {
        return new Refused<>(ProblemCode.INVALID_REQUEST, refusedChange.reason());
      }
      return new Refused<>(ProblemCode.NOT_FOUND, "no such list entry");
    });
  }

  private EntityRef<RiskRuleBookProtocol.Command> book() {
    return sharding.entityRefFor(RiskRuleBookProtocol.TYPE_KEY, RiskRuleBookProtocol.ENTITY_ID);
  }

  private RuleSetInfo info(RiskRuleSet set) {
    return new RuleSetInfo(set.version(), set.rules(), set.onTimeout(),
        set.redemption() == null ? guardDefaults : set.redemption(), set.changedBy(), set.changedAt(),
        cache.ruleSet().version());
  }

  private static DecisionInfo info(RiskDecisionLog.Decision d) {
    return new DecisionInfo(d.orderId(), d.decidedAt(), d.decision(), d.reason(), d.ruleVersion(), d.skuId(),
        d.riskLevel(), d.hits());
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static <T> CompletionStage<Outcome<T>> refused(ProblemCode code, String detail) {
    return CompletableFuture.completedFuture(new Refused<>(code, detail));
  }
}
