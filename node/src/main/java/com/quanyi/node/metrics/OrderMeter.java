package com.quanyi.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the partner API answered to order placements, and how long each took end to end:
 * {@code quanyi_orders_total{kind, outcome, reason}} and {@code quanyi_order_seconds{kind, outcome}}.
 * An outcome is the new order's status ({@code delivered}, {@code pending}, {@code review},
 * {@code failed}), {@code repeat} for a request naming an order that exists, {@code refused} with
 * the problem code as its reason, or {@code unanswered} (no answer in time). Answers, not orders: a
 * channel's repeat of a refused request counts again, as it cost the platform again.
 */
public final class OrderMeter {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public OrderMeter(MeterRegistry registry) {
    this.registry = registry;
  }

  public static OrderMeter ofProcess() {
    return new OrderMeter(NodeMetrics.registry());
  }

  /** A new order, answered with its status. */
  public void created(boolean topup, String status, long startedNanos) {
    record(topup, status.toLowerCase(Locale.ROOT), "", startedNanos);
  }

  public void repeated(boolean topup, long startedNanos) {
    record(topup, "repeat", "", startedNanos);
  }

  public void refused(boolean topup, String problemCode, long startedNanos) {
    record(topup, "refused", problemCode, startedNanos);
  }

  public void unanswered(boolean topup, long startedNanos) {
    record(topup, "unanswered", "", startedNanos);
  }

  private void record(boolean topup, String outcome, String reason, long startedNanos) {
    String kind = topup ? "topup" : "card";
    counters.computeIfAbsent(kind + '/' + outcome + '/' + reason, key -> Counter.builder("quanyi.orders")
        .description("Order placements answered, by kind, outcome and refusal reason")
        .tags("kind", kind, "outcome", outcome, "reason", reason).register(registry)).increment();
    timers.computeIfAbsent(kind + '/' + outcome, key -> Timer.builder("quanyi.order")
        .description("Order placements from request to answer")
        .tags("kind", kind, "outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }
}
