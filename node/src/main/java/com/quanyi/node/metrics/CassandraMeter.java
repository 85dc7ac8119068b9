package com.quanyi.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cassandra requests of one driver session as its request throttler sees them end
 * ({@code quanyi_cassandra_requests_total{session, outcome, error}}): answered, failed (with the
 * driver's exception as {@code error}), timed out, or refused by this node's write guard before
 * they were sent.
 */
public final class CassandraMeter {

  private final MeterRegistry registry;
  private final String session;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  /** Every request that succeeds passes here: its counter is looked up once, not per request. */
  private final Counter answered;

  CassandraMeter(MeterRegistry registry, String session) {
    this.registry = registry;
    this.session = session;
    this.answered = counter("answered", "");
  }

  public static CassandraMeter of(String session) {
    return new CassandraMeter(NodeMetrics.registry(), session);
  }

  public void answered() {
    answered.increment();
  }

  public void failed(Throwable error) {
    count("failed", error.getClass().getSimpleName());
  }

  public void timedOut() {
    count("timed-out", "");
  }

  public void refused() {
    count("refused", "");
  }

  private void count(String outcome, String error) {
    counter(outcome, error).increment();
  }

  private Counter counter(String outcome, String error) {
    return counters.computeIfAbsent(outcome + '/' + error, key -> Counter.builder("quanyi.cassandra.requests")
        .description("Cassandra requests ended, by session and outcome")
        .tags("session", session, "outcome", outcome, "error", error).register(registry));
  }
}
