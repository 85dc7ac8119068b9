package com.quanyi.node.redemption;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code quanyi.redemption}: {@code answerFloor}, the least time any redemption or check takes to
 * answer, whatever it found, so that an unknown code cannot be told from a known one by how fast
 * the answer comes (a known code costs more reads and an ask of its order); and the guess guard.
 */
public record RedemptionSettings(Duration answerFloor, GuessGuardSettings guard) {

  public static RedemptionSettings fromConfig(Config config) {
    return new RedemptionSettings(config.getDuration("quanyi.redemption.answer-floor"),
        GuessGuardSettings.fromConfig(config));
  }
}
