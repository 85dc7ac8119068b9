package com.quanyi.node.projection;

import com.quanyi.node.metrics.NodeMetrics;
import com.quanyi.persistence.reporting.ProjectionStatusStore;
import com.quanyi.persistence.reporting.ProjectionStatusStore.InstanceStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Watches the projection instances running on this node (events applied, how old the newest one
 * was when applied, the last error) and writes what it saw to {@code projection_status} once a
 * second, so that the status endpoint on any node shows every instance. Errors are recorded by
 * their exception class only: a message could carry data that must not be shown.
 */
public final class ProjectionMonitor {

  private final class Instance extends StatusObserver<EventEnvelope<Object>> {
    final String projection;
    final String tag;
    final AtomicLong events = new AtomicLong();
    volatile long lastEventAt;
    volatile long lastProcessedAt;
    volatile long lagMillis;
    volatile String lastError;
    volatile Instant errorAt;
    final AtomicBoolean dirty = new AtomicBoolean(true);

    Instance(String projection, String tag) {
      this.projection = projection;
      this.tag = tag;
    }

    @Override
    public void started(ProjectionId id) {
      dirty.set(true);
    }

    @Override
    public void failed(ProjectionId id, Throwable cause) {
      noteError(cause);
    }

    @Override
    public void stopped(ProjectionId id) {
      dirty.set(true);
    }

    @Override
    public void beforeProcess(ProjectionId id, EventEnvelope<Object> envelope) {}

    @Override
    public void afterProcess(ProjectionId id, EventEnvelope<Object> envelope) {
      long now = clock.millis();
      events.incrementAndGet();
      lastEventAt = envelope.timestamp();
      lastProcessedAt = now;
      lagMillis = Math.max(0, now - envelope.timestamp());
      dirty.set(true);
    }

    @Override
    public void offsetProgress(ProjectionId id, EventEnvelope<Object> envelope) {}

    @Override
    public void error(ProjectionId id, EventEnvelope<Object> envelope, Throwable cause,
        HandlerRecoveryStrategy strategy) {
      noteError(cause);
    }

    private void noteError(Throwable cause) {
      lastError = cause.getClass().getName();
      errorAt = clock.instant();
      dirty.set(true);
    }

    InstanceStatus status() {
      return new InstanceStatus(projection, tag, events.get(), instant(lastEventAt), instant(lastProcessedAt),
          lagMillis, lastError, errorAt, node, clock.instant());
    }
  }

  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final ProjectionStatusStore store;
  private final Clock clock;
  private final String node;

  public ProjectionMonitor(ActorSystem<?> system, ProjectionStatusStore store, Clock clock, Duration every) {
    this.store = store;
    this.clock = clock;
    this.node = system.address().hostPort();
    system.scheduler().scheduleWithFixedDelay(every, every, this::flush, system.executionContext());
  }

  /** The observer of one instance (one per projection and tag on this node). */
  @SuppressWarnings("unchecked")
  public <E> StatusObserver<EventEnvelope<E>> observer(String projection, String tag) {
    Instance instance = instances.computeIfAbsent(projection + "|" + tag, k -> metered(new Instance(projection, tag)));
    return (StatusObserver<EventEnvelope<E>>) (StatusObserver<?>) instance;
  }

  /** The instance's lag and events applied, as meters ({@code GET /metrics}). */
  private static Instance metered(Instance instance) {
    MeterRegistry registry = NodeMetrics.registry();
    Gauge.builder("quanyi.projection.lag", instance, i -> i.lagMillis / 1000.0)
        .description("How old the last event an instance applied was when it applied it")
        .baseUnit("seconds").tags("projection", instance.projection, "tag", instance.tag).register(registry);
    FunctionCounter.builder("quanyi.projection.events", instance, i -> i.events.get())
        .description("Events an instance applied on this node")
        .tags("projection", instance.projection, "tag", instance.tag).register(registry);
    return instance;
  }

  private void flush() {
    for (Instance instance : instances.values()) {
      if (instance.dirty.getAndSet(false)) {
        store.save(instance.status()).whenComplete((done, failure) -> {
          if (failure != null) {
            instance.dirty.set(true);
          }
        });
      }
    }
  }

  private static Instant instant(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }
}
