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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Sends each alert raised or cleared to the operators' webhook, signed as channel callbacks are
 * ({@code X-Quanyi-Signature: t=…,v1=…}, with the alerts' own secret) and carrying a stable
 * {@code X-Quanyi-Event-Id} (key, event, since) so a receiver can drop repeats. A notice not taken
 * (no 2xx) is sent again after 2 s, 10 s and 1 min, the same body signed anew, then given up and
 * logged: the console shows the alerts in force whatever the webhook did. Retries are held in
 * memory, by the node running the watch.
 */
final class AlertWebhook {

  private static final Logger log = LoggerFactory.getLogger(AlertWebhook.class);

  /** The body: what happened to which alert, when. */
  record Notice(String event, Alert alert, Instant at) {}

  private static final List<Duration> RETRIES = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10),
      Duration.ofMinutes(1));

  private final Optional<URI> target;
  private final String secret;
  private final HttpClient http;
  private final Clock clock;
  private final Scheduler scheduler;
  private final ExecutionContextExecutor dispatcher;

  AlertWebhook(AlertSettings settings, Executor blocking, Scheduler scheduler, ExecutionContextExecutor dispatcher,
      Clock clock) {
    this.scheduler = scheduler;
    this.dispatcher = dispatcher;
    this.target = settings.webhook();
    this.secret = settings.webhookSecret();
    this.http = HttpClient.newBuilder().executor(blocking).connectTimeout(Duration.ofSeconds(3)).build();
    this.clock = clock;
  }

  void send(String event, Alert alert) {
    if (target.isPresent()) {
      attempt(new Notice(event, alert, clock.instant()), 0);
    }
  }

  private void attempt(Notice notice, int retried) {
    byte[] body = ApiJson.write(notice);
    Alert alert = notice.alert();
    HttpRequest request = HttpRequest.newBuilder(target.get())
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header("X-Quanyi-Event-Id", alert.key() + "/" + notice.event() + "/" + alert.since().toEpochMilli())
        .header("X-Quanyi-Signature", RequestSignature.webhookHeader(secret, clock.millis(), body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
      if (failure == null && response.statusCode() / 100 == 2) {
        return;
      }
      String why = failure != null ? failure.getClass().getSimpleName() : "answered " + response.statusCode();
      if (retried < RETRIES.size()) {
        scheduler.scheduleOnce(RETRIES.get(retried), () -> attempt(notice, retried + 1), dispatcher);
      } else {
        log.warn("The alert webhook did not take alert {} ({}) in {} attempts, the last {}", alert.key(),
            notice.event(), retried + 1, why);
      }
    });
  }
}
