package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import java.util.List;
import java.util.Objects;

/**
 * What risk control says of one order before anything is allocated or charged: ALLOW, REVIEW
 * (held for an operator, nothing delivered, the charge held) or REJECT. {@code reason} is the code
 * of the rule that decided (shown to the channel on a rejection; null on ALLOW); {@code hits} are
 * every rule that fired, shadow ones included, and {@code ruleVersion} the rule set decided under.
 */
public record RiskVerdict(Decision decision, String reason, List<RuleHit> hits, long ruleVersion)
    implements CborSerializable {

  public enum Decision { ALLOW, REVIEW, REJECT }

  public static final RiskVerdict ALLOW = new RiskVerdict(Decision.ALLOW, null, List.of(), 0);

  public RiskVerdict {
    Objects.requireNonNull(decision, "decision");
    hits = hits == null ? List.of() : List.copyOf(hits);
    if (decision != Decision.ALLOW && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a rejection or review names its reason");
    }
  }
}
