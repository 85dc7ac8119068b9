package com.quanyi.http.risk;

import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.risk.ListEntry;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileView;
import com.quanyi.protocol.risk.RedemptionGuard;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRuleSet.FailPolicy;
import com.quanyi.protocol.risk.RiskRuleBookProtocol.RuleChange;
import com.quanyi.protocol.risk.RuleHit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Risk rules, lists, decisions and profiles as the admin API needs them; implemented by the node. */
public interface RiskService {

  /**
   * {@code inForceHere}: the version the answering node decides orders by (it follows within seconds);
   * {@code redemption}: the redemption guard in force (the configured defaults while the rule set has none).
   */
  record RuleSetInfo(long version, List<RiskRule> rules, Map<RiskLevel, FailPolicy> onTimeout,
      RedemptionGuard redemption, String changedBy, Instant changedAt, long inForceHere) {}

  /**
   * Body of {@code PUT /admin/v1/risk/rules}: the whole rule set, against the version it was read at;
   * {@code redemption} left out: the configured defaults.
   */
  record RulesUpdate(Long expectedVersion, List<RiskRule> rules, Map<RiskLevel, FailPolicy> onTimeout,
      RedemptionGuard redemption) {}

  /** Body of {@code POST /admin/v1/risk/lists}. */
  record NewListEntry(ListEntry.Kind list, ListEntry.ListSubject subject, String value, Instant expiresAt,
      String reason) {}

  record ListInfo(long version, List<ListEntry> entries, long inForceHere) {}

  record DecisionInfo(String orderId, Instant decidedAt, String decision, String reason, long ruleVersion,
      String skuId, String riskLevel, List<RuleHit> hits) {}

  /** A subject's profile (null when no rule concerns its kind yet) and the decisions that hit it. */
  record SubjectInfo(ProfileView profile, List<DecisionInfo> decisions) {}

  /**
   * How long this node's risk step took since start or the last reset (microseconds; only orders
   * judged under a non-empty rule set), how often a profile did not answer in time, and how many
   * decision records were dropped.
   */
  record StepStats(long assessed, long p50Micros, long p99Micros, long p999Micros, long maxMicros,
      long profileTimeouts, long decisionRecordsDropped) {}

  StepStats stats(boolean reset);

  CompletionStage<RuleSetInfo> rules();

  CompletionStage<Outcome<RuleSetInfo>> replaceRules(RulesUpdate update, String actor);

  CompletionStage<List<RuleChange>> history();

  CompletionStage<ListInfo> lists();

  CompletionStage<Outcome<ListEntry>> addListEntry(NewListEntry entry, String actor);

  CompletionStage<Outcome<ListInfo>> removeListEntry(String entryId, String actor);

  CompletionStage<List<DecisionInfo>> decisions(String orderId);

  /** {@code subject}: {@code buyer:channelId/userId}, {@code ip:address}, {@code device:id} or {@code account:…}. */
  CompletionStage<Outcome<SubjectInfo>> subject(String subject);

  CompletionStage<Outcome<SubjectInfo>> unblock(String subject, String actor);
}
