package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import java.util.Objects;

/**
 * Risk control's answer to code guessing at redemption (核销): the misses a verifier may make, and
 * those one client address may make (many tills of one shop may share an address, so it has limits
 * of its own). Part of the rule set, changed and audited with it.
 */
public record RedemptionGuard(GuessLimits verifier, GuessLimits address) implements CborSerializable {

  public RedemptionGuard {
    Objects.requireNonNull(verifier, "redemption.verifier is required: {slowAfter, blockAfter}");
    Objects.requireNonNull(address, "redemption.address is required: {slowAfter, blockAfter}");
  }
}
