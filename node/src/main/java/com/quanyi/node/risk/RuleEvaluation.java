package com.quanyi.node.risk;

import com.quanyi.node.risk.RiskWindows.Distinct;
import com.quanyi.protocol.risk.RiskProfileProtocol.OrderFacts;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RuleHit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one order against one subject's velocity rules: a rule fires when the order would take
 * its measure past the limit (the order itself included: a limit of 10 orders per hour lets the
 * tenth through and stops the eleventh). Plain Java, no Pekko.
 */
final class RuleEvaluation {

  private RuleEvaluation() {}

  /**
   * @param firstSeen when this buyer was first seen (null: now, a new buyer); only rules with
   *     {@code newBuyerWithin} read it
   */
  static List<RuleHit> hits(String subject, List<RiskRule> rules, RiskWindows windows, OrderFacts order,
      Instant firstSeen, Instant now) {
    List<RuleHit> hits = new ArrayList<>();
    for (RiskRule rule : rules) {
      if (rule.newBuyerWithin() != null && firstSeen != null
          && firstSeen.isBefore(now.minus(rule.newBuyerWithin()))) {
        continue;
      }
      long observed = windows.measure(rule.measure(), rule.window(), now) + contribution(rule, windows, order, now);
      if (observed > rule.limit()) {
        hits.add(new RuleHit(rule.ruleId(), subject, rule.reason(), rule.action(), rule.shadow(), observed,
            rule.limit()));
      }
    }
    return hits;
  }

  private static long contribution(RiskRule rule, RiskWindows windows, OrderFacts order, Instant now) {
    switch (rule.measure()) {
      case ORDERS: return 1;
      case UNITS: return order.units();
      case AMOUNT: return order.amount();
      case DISTINCT_BUYERS: return newValue(windows, Distinct.BUYERS, order.buyer(), rule, now);
      case DISTINCT_IPS: return newValue(windows, Distinct.IPS, order.ip(), rule, now);
      default: return newValue(windows, Distinct.DEVICES, order.deviceId(), rule, now);
    }
  }

  private static long newValue(RiskWindows windows, Distinct kind, String value, RiskRule rule, Instant now) {
    return value == null || windows.seenWithin(kind, value, rule.window(), now) ? 0 : 1;
  }
}
