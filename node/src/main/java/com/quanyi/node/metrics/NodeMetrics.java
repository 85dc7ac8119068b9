package com.quanyi.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The meters of the node running in this process, scraped by Prometheus at {@code GET /metrics}
 * on the management port ({@link MetricsRoutes}). One registry per process, as one node runs in
 * one: the Cassandra driver builds its request throttler by class name with no way to hand it a
 * registry, and JVM meters belong to the process anyway. A test running nodes one after another in
 * one process reads differences.
 */
public final class NodeMetrics {

  private static final PrometheusMeterRegistry REGISTRY = started();

  private NodeMetrics() {}

  public static MeterRegistry registry() {
    return REGISTRY;
  }

  /** Every meter in Prometheus' text format. */
  static String scrape() {
    return REGISTRY.scrape();
  }

  private static PrometheusMeterRegistry started() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("application", "quanyi");
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }
}
