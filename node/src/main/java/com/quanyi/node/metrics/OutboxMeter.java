package com.quanyi.node.metrics;

import io.micrometer.core.instrument.Gauge;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Callbacks owed and not yet acknowledged by the outboxes running on this node
 * ({@code quanyi_callback_outbox_pending}). An outbox with anything owed stays running (sharding
 * remembers it), so the sum over the nodes is the cluster's. Parked callbacks are not metered
 * here: an outbox with only parked ones passivates, and its count would vanish with it.
 */
public final class OutboxMeter {

  private static final Map<String, Integer> BY_CHANNEL = new ConcurrentHashMap<>();

  static {
    Gauge.builder("quanyi.callback.outbox.pending", BY_CHANNEL,
            byChannel -> byChannel.values().stream().mapToInt(Integer::intValue).sum())
        .description("Callbacks owed by the outboxes on this node").register(NodeMetrics.registry());
  }

  private OutboxMeter() {}

  /** What the channel's outbox (running on this node) owes now. */
  public static void owes(String channelId, int pending) {
    BY_CHANNEL.put(channelId, pending);
  }

  /** The channel's outbox stopped here (or moved). */
  public static void gone(String channelId) {
    BY_CHANNEL.remove(channelId);
  }
}
