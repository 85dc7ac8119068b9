package com.quanyi.node.bench;

import com.quanyi.node.Node;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AddBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registration;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.SkuStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Not a test: drives one SKU inventory entity with many concurrent allocators (closed loop: each
 * allocator asks again as soon as it is answered) against the real Cassandra journal, once with
 * group commit and once with it off (one journal write per allocation), and prints allocations/s
 * and latency percentiles. See docs/performance.md for how to run it and recorded results.
 *
 * <p>Arguments: {@code [allocators, comma separated] [seconds per run]}, default {@code 64,256 20}.
 * The Cassandra it starts uses commitlog_sync from {@code -Dquanyi.test.cassandra.commitlog-sync}
 * (default periodic).
 */
public final class AllocationBenchmark {

  private static final Duration ASK = Duration.ofSeconds(10);

  private AllocationBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> allocators = Arrays.stream((args.length > 0 ? args[0] : "64,256").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    StringBuilder report = new StringBuilder("\nallocators  group-commit  allocations/s   p50 ms   p99 ms   journal writes\n");
    for (int concurrency : allocators) {
      for (boolean group : List.of(true, false)) {
        Result r = run(concurrency, group, seconds);
        report.append(String.format("%10d  %12s  %13.0f  %7.2f  %7.2f   %s%n", concurrency, group ? "on" : "off",
            r.perSecond(), r.p50(), r.p99(), group ? "1 per group" : "1 per allocation"));
      }
    }
    System.out.println(report);
    System.exit(0);
  }

  record Result(double perSecond, double p50, double p99) {}

  private static Result run(int concurrency, boolean groupCommit, int seconds) throws Exception {
    try (Node node = TestNodes.startReady(Map.of("quanyi.inventory.max-group-size", groupCommit ? 1000 : 1,
        // direct allocations have no order entity; reconciliation would give them back
        "quanyi.inventory.reconcile-after", "1h"))) {
      String sku = "bench-" + UUID.randomUUID();
      EntityRef<SkuInventoryProtocol.Command> ref = ClusterSharding.get(node.system())
          .entityRefFor(SkuInventoryProtocol.TYPE_KEY, sku);
      ref.<Registration>ask(r -> new RegisterSku(new SkuDefinition(sku, "Benchmark SKU", SkuKind.CARD_CODE,
          Money.of(100, "CNY"), Money.of(90, "CNY"), RiskLevel.LOW, SkuDefinition.UNLIMITED, SkuStatus.LISTED, 0),
          "bench", r), ASK).toCompletableFuture().join();
      ref.<BatchLookup>ask(r -> new AddBatch("b-1", 100_000_000L, "sup", Money.of(50, "CNY"), "bench", r), ASK)
          .toCompletableFuture().join();

      // Warm up the entity and the JIT, then measure.
      drive(ref, concurrency, Duration.ofSeconds(5), new ConcurrentLinkedQueue<>());
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      long started = System.nanoTime();
      long count = drive(ref, concurrency, Duration.ofSeconds(seconds), latencies);
      double elapsed = (System.nanoTime() - started) / 1e9;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Result(count / elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }
  }

  private static long drive(EntityRef<SkuInventoryProtocol.Command> ref, int concurrency, Duration duration,
      ConcurrentLinkedQueue<Long> latencies) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong allocated = new AtomicLong();
    CompletableFuture<?>[] loops = new CompletableFuture<?>[concurrency];
    for (int i = 0; i < concurrency; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loop(ref, running, allocated, latencies, done);
      loops[i] = done;
    }
    Thread.sleep(duration.toMillis());
    running.set(false);
    CompletableFuture.allOf(loops).join();
    return allocated.get();
  }

  private static void loop(EntityRef<SkuInventoryProtocol.Command> ref, AtomicBoolean running, AtomicLong allocated,
      ConcurrentLinkedQueue<Long> latencies, CompletableFuture<Void> done) {
    if (!running.get()) {
      done.complete(null);
      return;
    }
    long start = System.nanoTime();
    String orderId = UUID.randomUUID().toString();
    ref.<Allocation>ask(r -> new Allocate(orderId, 1, r), ASK).whenComplete((allocation, failure) -> {
      if (allocation instanceof Allocated) {
        allocated.incrementAndGet();
        latencies.add(System.nanoTime() - start);
      }
      loop(ref, running, allocated, latencies, done);
    });
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }
}
