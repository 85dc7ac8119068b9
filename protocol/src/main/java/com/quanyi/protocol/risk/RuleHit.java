package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.risk.RiskRule.Action;

/**
 * A rule (or list entry, or block) that fired for one order on one subject ({@code buyer:…},
 * {@code ip:…}, {@code device:…}, {@code account:…}). {@code observed} is the measure the order
 * would have reached, {@code limit} the rule's limit (both 0 for lists and blocks). A
 * {@code shadow} hit is recorded and acts on nothing.
 */
public record RuleHit(String ruleId, String subject, String reason, Action action, boolean shadow, long observed,
    long limit) implements CborSerializable {

  public boolean acts() {
    return !shadow;
  }
}
