package com.quanyi.node.callback;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/** {@code quanyi.callbacks}; {@code tags} is {@code quanyi.projections.tags}, the order tags the feed reads. */
public record CallbackSettings(boolean allowPrivateTargets, List<Duration> backoff, Duration timeout, int tags) {

  public static CallbackSettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.callbacks");
    return new CallbackSettings(c.getBoolean("allow-private-targets"), List.copyOf(c.getDurationList("backoff")),
        c.getDuration("timeout"), config.getInt("quanyi.projections.tags"));
  }
}
