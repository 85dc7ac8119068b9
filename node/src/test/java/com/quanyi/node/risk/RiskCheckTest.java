package com.quanyi.node.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.risk.ListEntry;
import com.quanyi.protocol.risk.RiskProfileProtocol.Assess;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileVerdict;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRule.Action;
import com.quanyi.protocol.risk.RiskRule.Measure;
import com.quanyi.protocol.risk.RiskRule.Subject;
import com.quanyi.protocol.risk.RiskRule.Window;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskRuleSet.FailPolicy;
import com.quanyi.protocol.risk.RiskVerdict;
import com.quanyi.protocol.risk.RiskVerdict.Decision;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The risk step's combination of lists, profiles and fail policies, with profiles played by functions. */
class RiskCheckTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Money AMOUNT = Money.of(1000, "CNY");

  private final Map<String, Assess.Builder> asked = new ConcurrentHashMap<>();
  private final List<RiskVerdict> recorded = new CopyOnWriteArrayList<>();

  private static RiskRule rule(String id, Subject subject, Set<RiskLevel> levels, String channelId) {
    Measure measure = subject == Subject.BUYER ? Measure.ORDERS : Measure.DISTINCT_BUYERS;
    return new RiskRule(id, subject, measure, Window.HOUR, 10, Action.REJECT, levels, channelId, null, null, false,
        "VELOCITY");
  }

  private static OrderRequest request(String deviceId) {
    return new OrderRequest("ch", "o1", "sku", 1, new OrderRequest.Buyer("u1", "10.0.0.1", deviceId), null, null);
  }

  private final List<String> woken = new CopyOnWriteArrayList<>();

  private RiskCheck desk(RiskRuleSet ruleSet, RiskLevel level, boolean profilesAnswer) {
    RiskCheck.Profiles profiles = new RiskCheck.Profiles() {
      @Override
      public java.util.concurrent.CompletionStage<ProfileVerdict> ask(String subject, Assess.Builder assess) {
        asked.put(subject, assess);
        return profilesAnswer
            ? CompletableFuture.completedFuture(new ProfileVerdict(subject, List.of(), true))
            : CompletableFuture.failedFuture(new TimeoutException("no answer"));
      }

      @Override
      public void wake(String subject) {
        woken.add(subject);
      }
    };
    return new RiskCheck(profiles, () -> new RiskRulesCache.Compiled(ruleSet),
        sku -> CompletableFuture.completedFuture(level), (o, s, l, verdict, at) -> recorded.add(verdict),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static RiskRuleSet rules(Map<RiskLevel, FailPolicy> onTimeout, List<ListEntry> lists, RiskRule... rules) {
    return new RiskRuleSet(7, List.of(rules), onTimeout, lists, null, "op", NOW);
  }

  private RiskVerdict assess(RiskCheck desk, OrderRequest request) {
    return desk.assess(request, AMOUNT).toCompletableFuture().join();
  }

  @Test
  void withoutRulesOrListsNoProfileIsAskedAndNothingIsRecorded() {
    RiskVerdict verdict = assess(desk(RiskRuleSet.initial(), RiskLevel.HIGH, true), request("d1"));
    assertEquals(Decision.ALLOW, verdict.decision());
    assertTrue(asked.isEmpty());
    assertTrue(recorded.isEmpty());
  }

  @Test
  void profilesAreAskedOnlyForKindsWithRulesAndGetOnlyTheRulesWatchingTheOrder() {
    RiskRuleSet ruleSet = rules(null, List.of(),
        rule("high-only", Subject.BUYER, Set.of(RiskLevel.HIGH), null),
        rule("other-channel", Subject.BUYER, Set.of(), "someone-else"),
        rule("all", Subject.BUYER, Set.of(), null),
        rule("ip", Subject.IP, Set.of(), "ch"));
    assertEquals(Decision.ALLOW, assess(desk(ruleSet, RiskLevel.LOW, true), request("d1")).decision());
    assertEquals(Set.of("buyer:ch/u1", "ip:10.0.0.1"), asked.keySet(), "no device rule: the device is not asked");
    assertEquals(List.of("all"), asked.get("buyer:ch/u1").rules().stream().map(RiskRule::ruleId).toList());
    assertEquals(7, asked.get("ip:10.0.0.1").ruleVersion());
    assertEquals(1, recorded.size());
  }

  @Test
  void onlyTheProfilesTheAssessmentWillAskAreWokenAhead() {
    desk(RiskRuleSet.initial(), RiskLevel.LOW, true).prepare(request("d1"));
    assertTrue(woken.isEmpty());
    desk(rules(null, List.of(), rule("ip", Subject.IP, Set.of(), null), rule("b", Subject.BUYER, Set.of(), "other")),
        RiskLevel.LOW, true).prepare(request("d1"));
    assertEquals(List.of("buyer:ch/u1", "ip:10.0.0.1"), woken);
  }

  @Test
  void aProfileThatDoesNotAnswerFailsClosedOnHighRiskSkusAndOpenOnLowOnes() {
    RiskRuleSet ruleSet = rules(null, List.of(), rule("r", Subject.BUYER, Set.of(), null));
    RiskVerdict high = assess(desk(ruleSet, RiskLevel.HIGH, false), request(null));
    assertEquals(Decision.REJECT, high.decision());
    assertEquals("RISK_UNAVAILABLE", high.reason());
    RiskVerdict low = assess(desk(ruleSet, RiskLevel.LOW, false), request(null));
    assertEquals(Decision.ALLOW, low.decision());
    assertEquals(1, low.hits().size(), "failing open is recorded");
    assertTrue(low.hits().get(0).shadow());
  }

  @Test
  void theFailPolicyPerRiskLevelIsPartOfTheRuleSet() {
    RiskRuleSet ruleSet = rules(Map.of(RiskLevel.HIGH, FailPolicy.OPEN, RiskLevel.LOW, FailPolicy.CLOSED), List.of(),
        rule("r", Subject.BUYER, Set.of(), null));
    assertEquals(Decision.ALLOW, assess(desk(ruleSet, RiskLevel.HIGH, false), request(null)).decision());
    assertEquals(Decision.REJECT, assess(desk(ruleSet, RiskLevel.LOW, false), request(null)).decision());
  }

  @Test
  void aBlockListedSubjectIsRejectedWithoutAskingAnyProfile() {
    ListEntry blocked = new ListEntry("e1", ListEntry.Kind.BLOCK, ListEntry.ListSubject.DEVICE, "evil", null, null,
        "op", NOW);
    RiskVerdict verdict = assess(desk(rules(null, List.of(blocked), rule("r", Subject.BUYER, Set.of(), null)),
        RiskLevel.LOW, true), request("evil"));
    assertEquals(Decision.REJECT, verdict.decision());
    assertEquals("BLOCKLISTED_DEVICE", verdict.reason());
    assertTrue(asked.isEmpty());
    assertEquals(1, recorded.size());
  }

  @Test
  void anAllowListedIpIsStillCountedButExemptFromItsRules() {
    ListEntry office = new ListEntry("e2", ListEntry.Kind.ALLOW, ListEntry.ListSubject.IP, "10.0.0.0/8", null, null,
        "op", NOW);
    assess(desk(rules(null, List.of(office), rule("ip", Subject.IP, Set.of(), null)), RiskLevel.LOW, true),
        request(null));
    assertTrue(asked.get("ip:10.0.0.1").exempt());
  }
}
