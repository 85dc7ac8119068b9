package com.quanyi.protocol.commission;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One version of the commission rules, in force for orders delivered from {@code since} until the
 * next version. Version 0 is the empty set the platform starts with.
 */
public record CommissionRuleSet(long version, List<CommissionRule> rules, String changedBy, Instant since)
    implements CborSerializable {

  public static final int MAX_RULES = 1_000;

  public CommissionRuleSet {
    rules = List.copyOf(rules);
    if (rules.size() > MAX_RULES) {
      throw new IllegalArgumentException("at most " + MAX_RULES + " rules");
    }
    Set<String> seen = new HashSet<>();
    for (CommissionRule rule : rules) {
      if (!seen.add(rule.level() + "/" + rule.skuId())) {
        throw new IllegalArgumentException("two rules for level " + rule.level() + " and "
            + (rule.skuId() == null ? "every SKU" : "SKU " + rule.skuId()));
      }
    }
  }

  public static CommissionRuleSet initial() {
    return new CommissionRuleSet(0, List.of(), null, Instant.EPOCH);
  }

  /** The rule for an ancestor {@code level} up on an order of {@code skuId}: the SKU's own, else the general one. */
  public Optional<CommissionRule> ruleFor(int level, String skuId) {
    Optional<CommissionRule> own = rules.stream().filter(r -> r.level() == level && skuId.equals(r.skuId())).findFirst();
    return own.isPresent() ? own : rules.stream().filter(r -> r.level() == level && r.skuId() == null).findFirst();
  }
}
