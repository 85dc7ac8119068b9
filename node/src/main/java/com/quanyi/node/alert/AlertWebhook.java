package com.quanyi.node.alert;

import com.quanyi.http.ApiJson;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.http.console.AlertService.Alert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each alert raised or cleared to the operators' webhook, signed as channel callbacks are
 * ({@code X-Quanyi-Signature: t=…,v1=…}, with the alerts' own secret) and carrying a stable
 * {@code X-Quanyi-Event-Id} (key, event, since) so a receiver can drop repeats. One attempt each:
 * the console shows the alerts in force whatever the webhook did.
 */
final class AlertWebhook {

  private static final Logger log = LoggerFactory.getLogger(AlertWebhook.class);

  /** The body: what happened to which alert, when. */
  record Notice(String event, Alert alert, Instant at) {}

  private final Optional<URI> target;
  private final String secret;
  private final HttpClient http;
  private final Clock clock;

  AlertWebhook(AlertSettings settings, Executor blocking, Clock clock) {
    this.target = settings.webhook();
    this.secret = settings.webhookSecret();
    this.http = HttpClient.newBuilder().executor(blocking).connectTimeout(Duration.ofSeconds(3)).build();
    this.clock = clock;
  }

  void send(String event, Alert alert) {
    if (target.isEmpty()) {
      return;
    }
    byte[] body = ApiJson.write(new Notice(event, alert, clock.instant()));
    HttpRequest request = HttpRequest.newBuilder(target.get())
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header("X-Quanyi-Event-Id", alert.key() + "/" + event + "/" + alert.since().toEpochMilli())
        .header("X-Quanyi-Signature", RequestSignature.webhookHeader(secret, clock.millis(), body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
      if (failure != null || response.statusCode() / 100 != 2) {
        log.warn("The alert webhook did not take alert {} ({}): {}", alert.key(), event,
            failure != null ? failure.getClass().getSimpleName() : "answered " + response.statusCode());
      }
    });
  }
}
