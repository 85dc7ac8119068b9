package com.quanyi.node.bench;

import com.quanyi.node.Node;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AddBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registration;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.SkuStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Not a test: how long a SKU inventory takes to recover from the real journal after a node
 * restart, with snapshots every 500 events and with snapshots effectively off. Prints the time from
 * the first command to the first reply on a fresh node (load snapshot + replay the rest).
 *
 * <p>Arguments: {@code [events]}, default 5000 (one allocation per event).
 */
public final class RecoveryBenchmark {

  private static final Duration ASK = Duration.ofSeconds(30);

  private RecoveryBenchmark() {}

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    StringBuilder report = new StringBuilder("\nevents  snapshot-every  recovery ms (first reply on a fresh node)\n");
    for (int snapshotEvery : List.of(500, 1_000_000)) {
      String sku = "recover-" + UUID.randomUUID();
      Map<String, Object> config = Map.of("quanyi.inventory.snapshot-every", snapshotEvery,
          "quanyi.inventory.reconcile-after", "1h");
      try (Node writer = TestNodes.startReady(config)) {
        EntityRef<SkuInventoryProtocol.Command> ref = ref(writer, sku);
        ref.<Registration>ask(r -> new RegisterSku(new SkuDefinition(sku, "Recovery SKU", SkuKind.CARD_CODE,
            Money.of(100, "CNY"), Money.of(90, "CNY"), RiskLevel.LOW, SkuDefinition.UNLIMITED, SkuStatus.LISTED, 0),
            "bench", r), ASK).toCompletableFuture().join();
        ref.<BatchLookup>ask(r -> new AddBatch("b-1", 10_000_000L, "sup", Money.of(50, "CNY"), "bench", r), ASK)
            .toCompletableFuture().join();
        for (int i = 0; i < events; i++) {
          String orderId = "o-" + i;
          ref.<Allocation>ask(r -> new Allocate(orderId, 1, r), ASK).toCompletableFuture().join();
        }
      }
      try (Node reader = TestNodes.startReady(config)) {
        // Bring sharding up on the fresh node first, so only the entity's own recovery is timed.
        ref(reader, "warm-up-" + UUID.randomUUID()).ask(GetSku::new, ASK).toCompletableFuture().join();
        long started = System.nanoTime();
        ref(reader, sku).ask(GetSku::new, ASK).toCompletableFuture().join();
        report.append(String.format("%6d  %14d  %8.0f%n", events, snapshotEvery, (System.nanoTime() - started) / 1e6));
      }
    }
    System.out.println(report);
    System.exit(0);
  }

  private static EntityRef<SkuInventoryProtocol.Command> ref(Node node, String sku) {
    return ClusterSharding.get(node.system()).entityRefFor(SkuInventoryProtocol.TYPE_KEY, sku);
  }
}
