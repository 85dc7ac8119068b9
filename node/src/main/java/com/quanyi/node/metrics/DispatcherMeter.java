package com.quanyi.node.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import scala.concurrent.ExecutionContext;

/**
 * How long a task waits in each Pekko dispatcher before a thread runs it
 * ({@code quanyi_dispatcher_delay_seconds{dispatcher}}): a probe submitted every 500 ms and timed
 * from submission to start. A dispatcher whose threads are all busy shows it here first, as every
 * actor message and every order continuation queues behind the same tasks. Pekko's dispatchers do
 * not expose their pools, so this measures what a task meets rather than counting threads.
 */
public final class DispatcherMeter {

  private static final Duration EVERY = Duration.ofMillis(500);

  private DispatcherMeter() {}

  public static void start(ActorSystem<?> system) {
    List<Probe> probes = List.of(
        probe(system, "default", DispatcherSelector.defaultDispatcher()),
        probe(system, "internal", DispatcherSelector.fromConfig("pekko.actor.internal-dispatcher")),
        probe(system, "blocking", DispatcherSelector.blocking()));
    // Sent from the scheduler's own thread: sent from a dispatcher thread, the probe would queue
    // locally to that thread and measure only how soon it finishes the sending task.
    system.scheduler().scheduleWithFixedDelay(EVERY, EVERY, () -> probes.forEach(Probe::send),
        ExecutionContext.fromExecutor(Runnable::run));
  }

  private static Probe probe(ActorSystem<?> system, String name, DispatcherSelector selector) {
    return new Probe(system.dispatchers().lookup(selector), Timer.builder("quanyi.dispatcher.delay")
        .description("Time a task waited in the dispatcher before a thread ran it")
        .tag("dispatcher", name)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(5))
        .register(NodeMetrics.registry()));
  }

  private record Probe(Executor executor, Timer delay) {
    void send() {
      long sent = System.nanoTime();
      executor.execute(() -> delay.record(System.nanoTime() - sent, TimeUnit.NANOSECONDS));
    }
  }
}
