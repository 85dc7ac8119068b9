package com.quanyi.node.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.risk.RiskProfileProtocol.OrderFacts;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRule.Action;
import com.quanyi.protocol.risk.RiskRule.Measure;
import com.quanyi.protocol.risk.RiskRule.Subject;
import com.quanyi.protocol.risk.RiskRule.Window;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskVerdict;
import com.quanyi.protocol.risk.RuleHit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleEvaluationTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static RiskRule rule(String id, Subject subject, Measure measure, Window window, long limit, Action action,
      boolean shadow) {
    return new RiskRule(id, subject, measure, window, limit, action, Set.of(), null, null, null, shadow, "TOO_MANY");
  }

  private static OrderFacts order(String buyer, String ip, int units, long amount) {
    return new OrderFacts("o", "ch", buyer, ip, null, units, amount, T0);
  }

  @Test
  void aLimitOfTenLetsTheTenthOrderThroughAndStopsTheEleventh() {
    RiskRule tenPerHour = rule("r", Subject.BUYER, Measure.ORDERS, Window.HOUR, 10, Action.REJECT, false);
    RiskWindows windows = new RiskWindows();
    for (int i = 0; i < 9; i++) {
      windows.add(T0, 1, 1, null, "1.1.1.1", null);
    }
    assertTrue(RuleEvaluation.hits("buyer:ch/b", List.of(tenPerHour), windows, order("ch/b", "1.1.1.1", 1, 1), T0, T0)
        .isEmpty());
    windows.add(T0, 1, 1, null, "1.1.1.1", null);
    List<RuleHit> hits = RuleEvaluation.hits("buyer:ch/b", List.of(tenPerHour), windows, order("ch/b", "1.1.1.1", 1, 1),
        T0, T0);
    assertEquals(1, hits.size());
    assertEquals(11, hits.get(0).observed());
    assertEquals(10, hits.get(0).limit());
  }

  @Test
  void unitsAndAmountCountTheOrderItself() {
    RiskWindows windows = new RiskWindows();
    RiskRule amount = rule("a", Subject.BUYER, Measure.AMOUNT, Window.DAY, 10_000, Action.REVIEW, false);
    assertTrue(RuleEvaluation.hits("s", List.of(amount), windows, order("ch/b", "ip", 1, 10_000), T0, T0).isEmpty());
    assertEquals(1, RuleEvaluation.hits("s", List.of(amount), windows, order("ch/b", "ip", 1, 10_001), T0, T0).size());
  }

  @Test
  void aFarmIsSeenAsNewBuyersFromOneAddressNotAsRepeatsOfOne() {
    RiskRule farm = rule("farm", Subject.IP, Measure.DISTINCT_BUYERS, Window.HOUR, 3, Action.REJECT, false);
    RiskWindows windows = new RiskWindows();
    for (String b : List.of("ch/1", "ch/2", "ch/3")) {
      windows.add(T0, 1, 1, b, null, null);
    }
    assertTrue(RuleEvaluation.hits("ip:x", List.of(farm), windows, order("ch/2", "x", 1, 1), T0, T0).isEmpty(),
        "a buyer already seen adds nobody");
    assertEquals(4, RuleEvaluation.hits("ip:x", List.of(farm), windows, order("ch/4", "x", 1, 1), T0, T0).get(0)
        .observed());
  }

  @Test
  void newBuyerRulesWatchOnlyBuyersFirstSeenRecently() {
    RiskRule newBuyers = new RiskRule("nb", Subject.BUYER, Measure.UNITS, Window.DAY, 1, Action.REJECT,
        Set.of(RiskLevel.HIGH), null, Duration.ofDays(7), null, false, "NEW_BUYER_LIMIT");
    RiskWindows windows = new RiskWindows();
    OrderFacts two = order("ch/b", "ip", 2, 1);
    assertEquals(1, RuleEvaluation.hits("s", List.of(newBuyers), windows, two, null, T0).size(), "never seen: new");
    assertEquals(1, RuleEvaluation.hits("s", List.of(newBuyers), windows, two, T0.minus(Duration.ofDays(6)), T0).size());
    assertTrue(RuleEvaluation.hits("s", List.of(newBuyers), windows, two, T0.minus(Duration.ofDays(8)), T0).isEmpty());
  }

  @Test
  void shadowHitsAreRecordedButDecideNothing() {
    RuleHit shadow = new RuleHit("s", "ip:x", "FARM", Action.REJECT, true, 5, 4);
    RuleHit review = new RuleHit("r", "buyer:ch/b", "BIG_SPENDER", Action.REVIEW, false, 5, 4);
    RiskVerdict onlyShadow = RiskCheck.combine(List.of(shadow), RiskRuleSet.initial());
    assertEquals(RiskVerdict.Decision.ALLOW, onlyShadow.decision());
    assertEquals(1, onlyShadow.hits().size());
    RiskVerdict reviewed = RiskCheck.combine(List.of(shadow, review), RiskRuleSet.initial());
    assertEquals(RiskVerdict.Decision.REVIEW, reviewed.decision());
    assertEquals("BIG_SPENDER", reviewed.reason());
    RuleHit reject = new RuleHit("x", "ip:x", "FARM", Action.REJECT, false, 5, 4);
    assertEquals(RiskVerdict.Decision.REJECT, RiskCheck.combine(List.of(review, reject), RiskRuleSet.initial()).decision());
  }

  @Test
  void rulesThatCannotBeMeasuredAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> rule("x", Subject.BUYER, Measure.DISTINCT_BUYERS, Window.HOUR, 3, Action.REJECT, false));
    assertThrows(IllegalArgumentException.class,
        () -> rule("x", Subject.IP, Measure.DISTINCT_IPS, Window.HOUR, 3, Action.REJECT, false));
    assertThrows(IllegalArgumentException.class,
        () -> rule("x", Subject.IP, Measure.DISTINCT_BUYERS, Window.HOUR, RiskRule.MAX_DISTINCT, Action.REJECT, false));
    assertThrows(IllegalArgumentException.class,
        () -> rule("x", Subject.IP, Measure.ORDERS, Window.HOUR, -1, Action.REJECT, false));
    assertThrows(IllegalArgumentException.class, () -> new RiskRule("x", Subject.IP, Measure.ORDERS, Window.HOUR, 1,
        Action.REJECT, Set.of(), null, Duration.ofDays(1), null, false, "NEW"));
    assertThrows(IllegalArgumentException.class, () -> new RiskRule("x", Subject.IP, Measure.ORDERS, Window.HOUR, 1,
        Action.REJECT, Set.of(), null, null, null, false, "lower case"));
  }
}
