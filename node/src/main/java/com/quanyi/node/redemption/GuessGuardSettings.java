package com.quanyi.node.redemption;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code quanyi.redemption.guard}: a subject that misses more than its {@code slowAfter} codes
 * within {@code window} waits {@code slowStep} more for each answer after that (at most
 * {@code maxDelay}); at {@code blockAfter} misses it is refused for {@code blockFor}. A verifier and
 * an address have limits of their own: many tills of one shop may share an address.
 */
public record GuessGuardSettings(Limits verifier, Limits address, Duration slowStep, Duration maxDelay,
    Duration window, Duration blockFor) {

  /** Misses after which a subject is slowed, and at which it is blocked. */
  public record Limits(int slowAfter, int blockAfter) {
    public Limits {
      if (slowAfter < 0 || blockAfter < 1) {
        throw new IllegalArgumentException("quanyi.redemption.guard: slow-after is 0 or more, block-after 1 or more");
      }
    }

    static Limits fromConfig(Config config) {
      return new Limits(config.getInt("slow-after"), config.getInt("block-after"));
    }
  }

  public GuessGuardSettings {
    if (window.isNegative() || window.isZero() || blockFor.isNegative() || slowStep.isNegative()) {
      throw new IllegalArgumentException("quanyi.redemption.guard: durations must be positive");
    }
  }

  public static GuessGuardSettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.redemption.guard");
    return new GuessGuardSettings(Limits.fromConfig(c.getConfig("verifier")), Limits.fromConfig(c.getConfig("address")),
        c.getDuration("slow-step"), c.getDuration("max-delay"), c.getDuration("window"), c.getDuration("block-for"));
  }

  /** How long an answer to a subject with {@code misses} in the window is held back. */
  public long delayMillis(Limits limits, int misses) {
    long over = Math.max(0, misses - limits.slowAfter());
    return Math.min(maxDelay.toMillis(), over * slowStep.toMillis());
  }
}
