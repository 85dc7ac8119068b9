package com.quanyi.node.callback;

import com.quanyi.node.projection.EventTags;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/** {@code quanyi.callbacks}. */
public record CallbackSettings(boolean allowPrivateTargets, List<Duration> backoff, Duration timeout, int tags) {

  public static CallbackSettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.callbacks");
    return new CallbackSettings(c.getBoolean("allow-private-targets"), List.copyOf(c.getDurationList("backoff")),
        c.getDuration("timeout"), c.getInt("tags"));
  }

  /** The tag an order's status events carry: orders spread evenly over {@link #tags()}. */
  public static String tagFor(String orderId, int tags) {
    return EventTags.tagFor(EventTags.ORDER, orderId, tags);
  }
}
