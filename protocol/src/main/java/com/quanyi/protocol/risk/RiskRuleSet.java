package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.inventory.RiskLevel;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything risk control decides by, as one versioned value: the velocity rules, the block and
 * allow lists, what an order does when a risk profile does not answer in time, per SKU risk
 * level, and how guessing codes at redemption is slowed and blocked ({@code redemption}; null: the
 * node's configured defaults). Every change makes a new version; every node holds a copy at most a
 * few seconds old.
 */
public record RiskRuleSet(long version, List<RiskRule> rules, Map<RiskLevel, FailPolicy> onTimeout,
    List<ListEntry> lists, RedemptionGuard redemption, String changedBy, Instant changedAt)
    implements CborSerializable {

  /** OPEN: an order whose profiles did not answer goes on; CLOSED: it is rejected (RISK_UNAVAILABLE). */
  public enum FailPolicy { OPEN, CLOSED }

  public static final int MAX_RULES = 200;
  public static final int MAX_LIST_ENTRIES = 100_000;

  public RiskRuleSet {
    rules = rules == null ? List.of() : List.copyOf(rules);
    lists = lists == null ? List.of() : List.copyOf(lists);
    onTimeout = withDefaults(onTimeout);
    if (rules.size() > MAX_RULES) {
      throw new IllegalArgumentException("at most " + MAX_RULES + " rules");
    }
    Set<String> ids = new HashSet<>();
    for (RiskRule rule : rules) {
      if (!ids.add(rule.ruleId())) {
        throw new IllegalArgumentException("rule id " + rule.ruleId() + " appears twice");
      }
    }
  }

  /** Before any operator change: no rules, no lists; low and medium SKUs fail open, high ones closed. */
  public static RiskRuleSet initial() {
    return new RiskRuleSet(0, List.of(), null, List.of(), null, null, null);
  }

  public FailPolicy onTimeout(RiskLevel level) {
    return onTimeout.get(level);
  }

  private static Map<RiskLevel, FailPolicy> withDefaults(Map<RiskLevel, FailPolicy> given) {
    Map<RiskLevel, FailPolicy> all = new EnumMap<>(RiskLevel.class);
    all.put(RiskLevel.LOW, FailPolicy.OPEN);
    all.put(RiskLevel.MEDIUM, FailPolicy.OPEN);
    all.put(RiskLevel.HIGH, FailPolicy.CLOSED);
    if (given != null) {
      given.forEach((level, policy) -> {
        if (level != null && policy != null) {
          all.put(level, policy);
        }
      });
    }
    return Map.copyOf(all);
  }
}
