package com.quanyi.node.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.Node;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AddBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AllocationOverloaded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registration;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.SkuStatus;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.inventory.StockView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;

/**
 * No oversell under concurrency, against the real Cassandra journal: 20,000 concurrent
 * allocations of one unit against 5,000 units, once on a steady node and once with the node
 * stopped and a new one started in the middle of the run (clients retry with the same order id).
 */
class InventoryConcurrencyIT {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InventoryConcurrencyIT.class);
  private static final int STOCK = 5_000;
  private static final int REQUESTS = 20_000;
  private static final Duration ASK = Duration.ofSeconds(10);
  /**
   * These allocations are asked for directly, with no order entity behind them: reconciliation
   * would (rightly) give them back, so it is off here. OrderRecoveryIT covers it.
   */
  private static final Map<String, Object> NO_RECONCILIATION = Map.of("quanyi.inventory.reconcile-after", "1h");

  @Test
  void twentyThousandAllocationsAgainstFiveThousandUnits() throws Exception {
    try (Node node = TestNodes.startReady(NO_RECONCILIATION)) {
      AtomicReference<Node> current = new AtomicReference<>(node);
      String sku = stockedSku(node);
      Outcome outcome = run(sku, current, null);
      outcome.assertExactlyAllStockAllocated(node, sku);
      assertEquals(REQUESTS - STOCK, outcome.outOfStock.get(), "every other request is refused as out of stock");
    }
  }

  @Test
  void noOversellWhenTheNodeRestartsMidRun() throws Exception {
    Node first = TestNodes.startReady(NO_RECONCILIATION);
    AtomicReference<Node> current = new AtomicReference<>(first);
    String sku = stockedSku(first);
    Outcome outcome = run(sku, current, () -> {
      first.close();
      current.set(TestNodes.startReady(NO_RECONCILIATION));
    });
    try {
      outcome.assertExactlyAllStockAllocated(current.get(), sku);
      assertTrue(outcome.unanswered.get() > 0, "the restart should have interrupted some requests");
      int before = outcome.allocatedBeforeRestart.get();
      assertTrue(before > 0 && before < STOCK, "the restart came while stock was left: " + before);
    } finally {
      current.get().close();
    }
  }

  private static String stockedSku(Node node) {
    String sku = "flash-" + UUID.randomUUID();
    EntityRef<SkuInventoryProtocol.Command> ref = ClusterSharding.get(node.system()).entityRefFor(SkuInventoryProtocol.TYPE_KEY, sku);
    SkuDefinition definition = new SkuDefinition(sku, "Flash sale pass", SkuKind.CARD_CODE, Money.of(100, "CNY"),
        Money.of(90, "CNY"), RiskLevel.LOW, SkuDefinition.UNLIMITED, SkuStatus.LISTED, 0);
    assertInstanceOf(Registered.class, ref.<Registration>ask(r -> new RegisterSku(definition, "test", r), ASK)
        .toCompletableFuture().join());
    assertInstanceOf(BatchFound.class, ref.<BatchLookup>ask(r -> new AddBatch("b-1", 3_000, "sup", Money.of(50, "CNY"),
        "test", r), ASK).toCompletableFuture().join());
    assertInstanceOf(BatchFound.class, ref.<BatchLookup>ask(r -> new AddBatch("b-2", 2_000, "sup", Money.of(50, "CNY"),
        "test", r), ASK).toCompletableFuture().join());
    return sku;
  }

  private static final class Outcome {
    final Map<String, List<SlotRange>> allocated = new ConcurrentHashMap<>();
    final AtomicInteger outOfStock = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger overloaded = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final AtomicInteger allocatedBeforeRestart = new AtomicInteger(-1);

    @Override
    public String toString() {
      return "allocated=" + allocated.size() + " (before restart: " + allocatedBeforeRestart + ") outOfStock="
          + outOfStock + " retries=" + retries
          + " (overloaded=" + overloaded + ", unanswered=" + unanswered + ")";
    }

    void assertExactlyAllStockAllocated(Node node, String sku) {
      log.info("Outcome: {}", this);
      assertEquals(STOCK, allocated.size(), "exactly the stock is allocated, to distinct orders");
      Set<String> positions = new HashSet<>();
      for (List<SlotRange> slots : allocated.values()) {
        for (SlotRange range : slots) {
          for (long p = range.from(); p < range.to(); p++) {
            assertTrue(positions.add(range.batchId() + ":" + p), "a position was allocated twice");
          }
        }
      }
      assertEquals(STOCK, positions.size());
      Lookup lookup = ClusterSharding.get(node.system()).entityRefFor(SkuInventoryProtocol.TYPE_KEY, sku)
          .ask(GetSku::new, ASK).toCompletableFuture().join();
      assertEquals(new StockView(0, STOCK, 0), assertInstanceOf(Found.class, lookup).sku().stock(),
          "the entity agrees: nothing leaked, nothing oversold");
    }
  }

  private static Outcome run(String sku, AtomicReference<Node> node, Runnable midRun) throws Exception {
    Outcome outcome = new Outcome();
    AtomicInteger answered = new AtomicInteger();
    CompletableFuture<Void> restart = new CompletableFuture<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String orderId = "o-" + i;
      all.add(allocate(sku, orderId, node, outcome, 0).thenAccept(allocation -> {
        if (allocation instanceof Allocated a) {
          List<SlotRange> earlier = outcome.allocated.putIfAbsent(orderId, a.slots());
          assertTrue(earlier == null || earlier.equals(a.slots()), "an order got two different allocations");
        } else {
          assertInstanceOf(OutOfStock.class, allocation);
          outcome.outOfStock.incrementAndGet();
        }
        if (answered.incrementAndGet() == STOCK / 2 && midRun != null) {
          outcome.allocatedBeforeRestart.set(outcome.allocated.size());
          CompletableFuture.runAsync(midRun).whenComplete((done, failure) -> {
            if (failure != null) {
              restart.completeExceptionally(failure);
            } else {
              restart.complete(null);
            }
          });
        }
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    if (midRun != null) {
      restart.get(2, TimeUnit.MINUTES);
    }
    return outcome;
  }

  /** One client: asks, and on a lost answer or "overloaded" asks again with the same order id. */
  private static CompletableFuture<Allocation> allocate(String sku, String orderId, AtomicReference<Node> node,
      Outcome outcome, int attempt) {
    Node target = node.get();
    CompletableFuture<Allocation> asked;
    if (target.system().getWhenTerminated().toCompletableFuture().isDone()) {
      asked = CompletableFuture.failedFuture(new IllegalStateException("node stopped; waiting for the next one"));
    } else {
      // A system that terminates while the ask is out never times it out: bound it here too.
      asked = ClusterSharding.get(target.system()).entityRefFor(SkuInventoryProtocol.TYPE_KEY, sku)
          .<Allocation>ask(r -> new Allocate(orderId, 1, r), ASK)
          .toCompletableFuture()
          .orTimeout(ASK.toSeconds() + 2, TimeUnit.SECONDS);
    }
    return asked
        .handle((allocation, failure) -> {
          if (failure == null && !(allocation instanceof AllocationOverloaded)) {
            return CompletableFuture.completedFuture(allocation);
          }
          if (attempt >= 100) {
            return CompletableFuture.<Allocation>failedFuture(new AssertionError("order " + orderId + " never answered"));
          }
          outcome.retries.incrementAndGet();
          (failure == null ? outcome.overloaded : outcome.unanswered).incrementAndGet();
          long backoff = 200 + java.util.concurrent.ThreadLocalRandom.current().nextLong(800);
          return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS))
              .thenCompose(ignored -> allocate(sku, orderId, node, outcome, attempt + 1));
        })
        .thenCompose(next -> next);
  }
}
