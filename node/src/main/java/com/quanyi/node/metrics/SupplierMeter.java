package com.quanyi.node.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A top-up supplier as this node sees it: its circuit ({@code quanyi_supplier_circuit}: 0 closed,
 * 1 half-open, 2 open), requests in flight ({@code quanyi_supplier_in_flight}), and how long its
 * submissions took by how they ended ({@code quanyi_supplier_submit_seconds{supplier, outcome}}).
 */
public final class SupplierMeter {

  private SupplierMeter() {}

  /** Registers the supplier's gauges once, reading its guard on this node. */
  public static void watch(String supplier, IntSupplier circuit, IntSupplier inFlight) {
    Gauge.builder("quanyi.supplier.circuit", circuit, c -> c.getAsInt())
        .description("The supplier's circuit on this node: 0 closed, 1 half-open, 2 open")
        .tag("supplier", supplier).register(NodeMetrics.registry());
    Gauge.builder("quanyi.supplier.in.flight", inFlight, f -> f.getAsInt())
        .description("Requests to the supplier in flight from this node").tag("supplier", supplier)
        .register(NodeMetrics.registry());
  }

  /** One submission, from its start until the supplier answered (or did not) with {@code outcome}. */
  public static void submitted(String supplier, String outcome, long startedNanos) {
    Timer.builder("quanyi.supplier.submit")
        .description("Top-up submissions to a supplier, by how they ended")
        .tags("supplier", supplier, "outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(NodeMetrics.registry()).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }
}
