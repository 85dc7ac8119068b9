package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import java.util.Objects;

/**
 * What risk control says of one order before anything is allocated or charged. {@code reason} is
 * a stable code naming the rule that decided (shown to the channel on a rejection); null on ALLOW.
 */
public record RiskVerdict(Decision decision, String reason) implements CborSerializable {

  public enum Decision { ALLOW, REJECT }

  public static final RiskVerdict ALLOW = new RiskVerdict(Decision.ALLOW, null);

  public RiskVerdict {
    Objects.requireNonNull(decision, "decision");
    if (decision != Decision.ALLOW && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("a rejection names its reason");
    }
  }

  public static RiskVerdict reject(String reason) {
    return new RiskVerdict(Decision.REJECT, reason);
  }

  public boolean allows() {
    return decision == Decision.ALLOW;
  }
}
