package com.quanyi.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.TestNodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples {@code /admin/v1/projections} once a second while a benchmark runs: per projection, the
 * events its instances applied and the lag they reported (how old the newest applied event was
 * when applied, the largest over the instances). Prints events/s over the measured window, lag
 * p50/p99/max of the samples, and how long each projection took to catch up once the load stopped.
 */
final class ProjectionWatch implements AutoCloseable {

  private record Sample(long atNanos, Map<String, long[]> byProjection) {}

  private final HttpTestClient admin;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<Sample> samples = new ArrayList<>();

  ProjectionWatch(HttpTestClient admin) {
    this.admin = admin;
  }

  void start() {
    timer.scheduleAtFixedRate(() -> {
      Sample sample = sample();
      synchronized (samples) {
        samples.add(sample);
      }
    }, 0, 1, TimeUnit.SECONDS);
  }

  /** Events applied so far, per projection. */
  Map<String, Long> events() {
    Map<String, Long> events = new LinkedHashMap<>();
    sample().byProjection().forEach((name, v) -> events.put(name, v[0]));
    return events;
  }

  private Sample sample() {
    Map<String, long[]> by = new LinkedHashMap<>();
    JsonNode all = admin.get("/admin/v1/projections", TestNodes.ADMIN_TOKEN).json().path("projections");
    for (JsonNode projection : all) {
      long events = 0;
      long lag = 0;
      for (JsonNode instance : projection.path("instances")) {
        events += instance.path("events").asLong();
        lag = Math.max(lag, instance.path("lagMillis").asLong());
      }
      by.put(projection.path("name").asText(), new long[] {events, lag});
    }
    return new Sample(System.nanoTime(), by);
  }

  /** Prints throughput and lag between the two instants (System.nanoTime), and the catch-up after {@code loadEnd}. */
  void report(long fromNanos, long toNanos, long loadEndNanos, Map<String, Long> eventsAtLoadEnd) throws Exception {
    // Catch-up: wait (up to 60 s) until each projection's count stops moving for 3 s.
    Map<String, Long> last = events();
    Map<String, Long> settledAt = new LinkedHashMap<>();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < 3_000_000_000L && System.nanoTime() - loadEndNanos < 60_000_000_000L) {
      Thread.sleep(250);
      Map<String, Long> now = events();
      for (String name : now.keySet()) {
        if (!now.get(name).equals(last.get(name))) {
          settledAt.put(name, System.nanoTime());
          quietSince = System.nanoTime();
        }
      }
      last = now;
    }
    timer.shutdownNow();
    List<Sample> window;
    synchronized (samples) {
      window = samples.stream().filter(s -> s.atNanos() >= fromNanos && s.atNanos() <= toNanos).toList();
    }
    if (window.size() < 2) {
      System.out.println("projections: too few samples");
      return;
    }
    Sample first = window.get(0);
    Sample end = window.get(window.size() - 1);
    double seconds = (end.atNanos() - first.atNanos()) / 1e9;
    for (String name : end.byProjection().keySet()) {
      long applied = end.byProjection().get(name)[0] - first.byProjection().get(name)[0];
      long[] lags = window.stream().mapToLong(s -> s.byProjection().get(name)[1]).sorted().toArray();
      long after = last.get(name) - eventsAtLoadEnd.getOrDefault(name, 0L);
      double catchUp = settledAt.containsKey(name) ? (settledAt.get(name) - loadEndNanos) / 1e9 : 0;
      System.out.printf("projection %-10s %6.0f events/s; lag p50 %d ms, p99 %d ms, max %d ms (%d samples); "
              + "after the load: %d more events in %.1f s%n", name, applied / seconds, lags[lags.length / 2],
          lags[(int) Math.min(lags.length - 1, Math.round(lags.length * 0.99))], lags[lags.length - 1], lags.length,
          after, catchUp);
    }
  }

  /**
   * Rebuilds a projection from zero and prints how fast it read the journal again: events applied
   * until none came for 3 s, over the time from the rebuild's answer to the last of them.
   */
  void rebuild(String name) throws Exception {
    long before = events().get(name);
    admin.post("/admin/v1/projections/" + name + "/rebuild", TestNodes.ADMIN_TOKEN, "{}");
    long resumed = System.nanoTime();
    long last = before;
    long lastChange = resumed;
    while (System.nanoTime() - lastChange < 3_000_000_000L) {
      Thread.sleep(250);
      long now = events().get(name);
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      }
    }
    double seconds = (lastChange - resumed) / 1e9;
    System.out.printf("rebuild of %s: %d events in %.1f s = %.0f events/s%n", name, last - before, seconds,
        (last - before) / seconds);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
