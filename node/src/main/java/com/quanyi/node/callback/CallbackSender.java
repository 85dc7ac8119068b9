package com.quanyi.node.callback;

import com.quanyi.node.Replies;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.persistence.vault.SealedSecrets;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Callback;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Sends one callback: {@code POST} of the exact body, signed with the channel's secret
 * ({@code X-Quanyi-Signature: t=…,v1=…}, API.md) and carrying {@code X-Quanyi-Event-Id}. Never
 * fails: it answers empty when the channel acknowledged with a 2xx, else why not (safe to show to
 * operators: no secret, no body).
 */
public final class CallbackSender {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final SealedSecrets secrets;
  private final CallbackTargets targets;
  private final Duration timeout;
  private final Duration askTimeout;
  private final Executor blocking;
  private final Clock clock;
  private final Map<String, String> secretByChannel = new ConcurrentHashMap<>();

  public CallbackSender(ActorSystem<?> system, SealedSecrets secrets, CallbackTargets targets, Duration timeout,
      Duration askTimeout, Executor blocking, Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.secrets = secrets;
    this.targets = targets;
    this.timeout = timeout;
    this.askTimeout = askTimeout;
    this.blocking = blocking;
    this.clock = clock;
  }

  public CompletionStage<Optional<String>> send(String channelId, Callback callback) {
    URI uri = URI.create(callback.url());
    return secret(channelId)
        .thenCombine(CompletableFuture.supplyAsync(() -> targets.deliverable(uri), blocking), (secret, allowed) -> {
          if (secret.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.of("the channel has no signing secret"));
          }
          if (!allowed) {
            return CompletableFuture.completedFuture(Optional.of("the target resolves to an address callbacks may not reach"));
          }
          byte[] body = callback.body().getBytes(StandardCharsets.UTF_8);
          HttpRequest request = HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("X-Quanyi-Event-Id", callback.eventId())
              .header("X-Quanyi-Signature", RequestSignature.webhookHeader(secret.get(), clock.millis(), body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
          return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .handle((response, failure) -> failure != null
                  ? Optional.of("no answer: " + rootCause(failure).getClass().getSimpleName())
                  : response.statusCode() / 100 == 2 ? Optional.<String>empty()
                  : Optional.of("answered " + response.statusCode()));
        })
        .thenCompose(sent -> sent)
        .exceptionally(failure -> Optional.of("not sent: " + rootCause(failure).getClass().getSimpleName()));
  }

  private CompletionStage<Optional<String>> secret(String channelId) {
    String known = secretByChannel.get(channelId);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    return Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId)
        .<ChannelReply>ask(GetChannel::new, askTimeout))
        .thenApply(reply -> {
          if (!(reply instanceof ChannelFound found)) {
            return Optional.empty();
          }
          String secret = secrets.open(channelId, found.credentials().masterKeyId(), found.credentials().sealedSecret());
          secretByChannel.put(channelId, secret);
          return Optional.of(secret);
        });
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
