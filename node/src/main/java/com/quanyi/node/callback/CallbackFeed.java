package com.quanyi.node.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.node.Replies;
import com.quanyi.node.projection.OrderEvent;
import com.quanyi.node.projection.TagSource;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.callback.CallbackOutboxProtocol;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Callback;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Enqueue;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetChannel;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderFound;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderLookup;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderStatus;
import java.util.concurrent.Executor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Turns the orders' persisted status changes into callbacks owed: a projection of the tagged
 * order events (one instance per tag, spread over the cluster), at least once, with its offset in
 * Cassandra. For each status change with a target (the order's own callbackUrl, else its
 * channel's), it enqueues the callback in the channel's outbox and only then moves on. A crash
 * replays from the last stored offset; the outbox ignores event ids it already has.
 */
public final class CallbackFeed extends Handler<EventEnvelope<Object>> {

  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * A channel's callback URL is read once per this long per projection instance: a flash sale of
   * a channel without callbacks then costs no extra ask per order.
   */
  private static final Duration CHANNEL_TARGET_TTL = Duration.ofSeconds(30);

  private record ChannelTarget(Optional<String> url, Instant until) {}

  private final Map<String, ChannelTarget> channelTargets = new java.util.concurrent.ConcurrentHashMap<>();

  private final ClusterSharding sharding;

  /** Where the continuations of entity replies run (see Replies). */

  private final Executor dispatcher;
  private final Duration askTimeout;
  private final String tag;
  private final int tags;

  private CallbackFeed(ActorSystem<?> system, Duration askTimeout, String tag, int tags) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
    this.tag = tag;
    this.tags = tags;
  }

  public static void init(ActorSystem<?> system, CallbackSettings settings, Duration askTimeout) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "callback-feed", settings.tags(),
        i -> {
          String tag = "order-" + i;
          return ProjectionBehavior.create(CassandraProjection.atLeastOnce(ProjectionId.of("callbacks", tag),
              TagSource.<Object>of(system, tag),
              () -> new CallbackFeed(system, askTimeout, tag, settings.tags())));
        },
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Object> envelope) {
    CompletionStage<Done> enqueued = CompletableFuture.completedFuture(Done.getInstance());
    for (OrderEvent event : OrderEvent.of(envelope, tag, tags)) {
      enqueued = enqueued.thenCompose(previous -> enqueued(event));
    }
    return enqueued;
  }

  private CompletionStage<Done> enqueued(OrderEvent orderEvent) {
    Event event = orderEvent.event();
    OrderStatus status = OrderProcessProtocol.statusSetBy(event);
    if (status == null) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    String orderId = orderEvent.orderId();
    String channelId = orderId.substring(0, orderId.indexOf('~'));
    String eventId = "evt-" + orderId + "-" + orderEvent.seq();
    // The acceptance carries everything; later status changes ask the order for the rest.
    CompletionStage<OrderView> order = event instanceof OrderAccepted accepted
        ? CompletableFuture.completedFuture(OrderView.of(accepted))
        : order(orderId);
    return order.thenCompose(view -> target(view, channelId).thenCompose(url -> {
      if (url.isEmpty()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      Callback callback = new Callback(eventId, orderId, url.get(), body(eventId, view, status,
          Instant.ofEpochMilli(orderEvent.timestamp())));
      return Replies.on(dispatcher, sharding.entityRefFor(CallbackOutboxProtocol.TYPE_KEY, channelId)
          .<CallbackOutboxProtocol.Ack>ask(r -> new Enqueue(callback, r), askTimeout))
          .thenApply(ack -> Done.getInstance());
    }));
  }

  private CompletionStage<OrderView> order(String orderId) {
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId)
        .<OrderLookup>ask(GetOrder::new, askTimeout))
        .thenApply(lookup -> ((OrderFound) lookup).order());
  }

  private CompletionStage<Optional<String>> target(OrderView order, String channelId) {
    if (order.callbackUrl() != null) {
      return CompletableFuture.completedFuture(Optional.of(order.callbackUrl()));
    }
    ChannelTarget known = channelTargets.get(channelId);
    if (known != null && known.until().isAfter(Instant.now())) {
      return CompletableFuture.completedFuture(known.url());
    }
    return Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId)
        .<ChannelReply>ask(GetChannel::new, askTimeout))
        .thenApply(reply -> {
          Optional<String> url = reply instanceof ChannelFound found
              ? Optional.ofNullable(found.channel().definition().callbackUrl()) : Optional.empty();
          channelTargets.put(channelId, new ChannelTarget(url, Instant.now().plus(CHANNEL_TARGET_TTL)));
          return url;
        });
  }

  /** What the channel receives: the status this event gave the order, never codes. */
  private static String body(String eventId, OrderView order, OrderStatus status, Instant occurredAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventId", eventId);
    body.put("orderId", order.orderId());
    body.put("clientOrderNo", order.clientOrderNo());
    body.put("skuId", order.skuId());
    body.put("quantity", order.quantity());
    body.put("status", status.name());
    Money amount = order.amount();
    body.put("amount", Map.of("amount", amount.amount(), "currency", amount.currency()));
    if (status == OrderStatus.PARTLY_DELIVERED && order.refunded() != null) {
      // What came back of the amount: the failed part's share.
      body.put("refunded", Map.of("amount", order.refunded().amount(), "currency", order.refunded().currency()));
    }
    body.put("occurredAt", occurredAt.toString());
    try {
      return JSON.writeValueAsString(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a callback body could not be written", e);
    }
  }
}
