package com.quanyi.node.redemption;

import com.quanyi.protocol.risk.GuessLimits;
import com.quanyi.protocol.risk.RedemptionGuard;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code quanyi.redemption.guard}: a subject that misses more than its {@code slowAfter} codes
 * within {@code window} waits {@code slowStep} more for each answer after that (at most
 * {@code maxDelay}); at {@code blockAfter} misses it is refused for {@code blockFor}. A verifier and
 * an address have limits of their own: many tills of one shop may share an address. The limits
 * here ({@code defaults}) apply until the risk rule set gives its own ({@code RiskRuleSet.redemption}).
 */
public record GuessGuardSettings(RedemptionGuard defaults, Duration slowStep, Duration maxDelay, Duration window,
    Duration blockFor) {

  public GuessGuardSettings {
    if (window.isNegative() || window.isZero() || blockFor.isNegative() || slowStep.isNegative()) {
      throw new IllegalArgumentException("quanyi.redemption.guard: durations must be positive");
    }
  }

  public static GuessGuardSettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.redemption.guard");
    try {
      return new GuessGuardSettings(new RedemptionGuard(limits(c.getConfig("verifier")), limits(c.getConfig("address"))),
          c.getDuration("slow-step"), c.getDuration("max-delay"), c.getDuration("window"), c.getDuration("block-for"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("quanyi.redemption.guard: " + e.getMessage(), e);
    }
  }

  private static GuessLimits limits(Config config) {
    return new GuessLimits(config.getInt("slow-after"), config.getInt("block-after"));
  }

  /** The limits in force for a verifier or an address: the rule set's ({@code ruled}, may be null), else the defaults. */
  public GuessLimits limits(RedemptionGuard ruled, boolean address) {
    RedemptionGuard guard = ruled == null ? defaults : ruled;
    return address ? guard.address() : guard.verifier();
  }

  /** How long an answer to a subject with {@code misses} in the window is held back. */
  public long delayMillis(GuessLimits limits, int misses) {
    long over = Math.max(0, misses - limits.slowAfter());
    return Math.min(maxDelay.toMillis(), over * slowStep.toMillis());
  }
}
