package com.quanyi.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How long each step of an order placement waits for the entity it asks
 * ({@code quanyi_order_step_seconds{step}}: reserve, peek, risk, allocate, acceptance, debit), so
 * that a slow order shows which owner of a fact it waited for.
 */
public final class StepMeter {

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public StepMeter(MeterRegistry registry) {
    this.registry = registry;
  }

  public static StepMeter ofProcess() {
    return new StepMeter(NodeMetrics.registry());
  }

  /** {@code stage}, timed from now until it completes (either way) as {@code step}. */
  public <T> CompletionStage<T> timed(String step, CompletionStage<T> stage) {
    long started = System.nanoTime();
    return stage.whenComplete((value, failure) -> timers.computeIfAbsent(step, name -> Timer.builder("quanyi.order.step")
        .description("Order placement steps, each from its ask to its answer")
        .tag("step", name)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
  }
}
