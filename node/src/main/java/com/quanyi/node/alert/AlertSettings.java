package com.quanyi.node.alert;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code quanyi.alerts}: how often the conditions are looked at, their thresholds, and the
 * operators' webhook (none when its URL is empty).
 */
public record AlertSettings(Duration every, int reviewQueueAbove, Duration projectionLagAbove,
    Optional<URI> webhook, String webhookSecret) {

  public static AlertSettings fromConfig(Config config) {
    Config alerts = config.getConfig("quanyi.alerts");
    String url = alerts.getString("webhook-url").strip();
    String secret = alerts.getString("webhook-secret");
    if (!url.isEmpty() && secret.length() < 24) {
      throw new IllegalArgumentException("quanyi.alerts.webhook-secret must have at least 24 characters when a "
          + "webhook URL is set: operators verify every alert by it");
    }
    return new AlertSettings(alerts.getDuration("every"), alerts.getInt("review-queue-above"),
        alerts.getDuration("projection-lag-above"), url.isEmpty() ? Optional.empty() : Optional.of(URI.create(url)),
        secret);
  }
}
