package com.quanyi.node.order;

import static com.quanyi.node.testkit.Books.ledgerClean;
import static com.quanyi.node.testkit.Books.salesNet;
import static com.quanyi.node.testkit.Books.salesUnits;
import static com.quanyi.node.testkit.Partners.account;
import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stock;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.devcassandra.DevCassandra;
import com.quanyi.persistence.devcassandra.DevCassandraSettings;
import com.quanyi.persistence.testkit.TestCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cassandra killed (SIGKILL) in the middle of a stream of orders, on the embedded default's
 * durability (the commit log synced before a write is acknowledged), then started again on the
 * same data: every order the API acknowledged is DELIVERED with the codes it was sent, no code
 * belongs to two orders, and stock and balance are exact once the half-done orders are reconciled.
 * With {@code commitlog_sync: periodic} acknowledged orders were lost here and their codes sold again.
 */
class CassandraCrashIT {

  private static final int CLIENTS = 24;
  private static final int ORDERS_PER_CLIENT = 25;
  private static final long PRICE = 100;

  @Test
  void acknowledgedOrdersSurviveACassandraCrash() throws Exception {
    Path dir = Paths.get("target", "crash-cassandra").toAbsolutePath();
    deleteRecursively(dir);
    DevCassandraSettings settings = new DevCassandraSettings(dir, "127.0.0.1", TestCassandra.freePort(),
        TestCassandra.freePort(), 768, "batch", Duration.ofSeconds(180));
    AtomicReference<DevCassandra> cassandra = new AtomicReference<>(DevCassandra.start(settings));
    try (Node node = TestNodes.startReady(Map.of("quanyi.cassandra.contact-points",
        List.of(cassandra.get().contactPoint())))) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel c = channel(admin, 10_000_000);
      String skuId = stockedSku(admin, c, 1_000, PRICE);

      Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
      AtomicInteger answered = new AtomicInteger();
      CompletableFuture<Void> crash = new CompletableFuture<>();
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        int k = client;
        clients.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < ORDERS_PER_CLIENT; i++) {
            String no = "K" + k + "-" + i;
            // The same number again until the platform gives a definite answer: what a channel does.
            for (int attempt = 0; attempt < 400; attempt++) {
              Reply reply = signed(node, c, "POST", "/api/v1/orders", order(no, skuId));
              if (reply != null && (reply.status() == 201 || reply.status() == 200)) {
                List<String> codes = new ArrayList<>();
                reply.body().path("codes").forEach(code -> codes.add(code.path("code").asText()));
                List<String> earlier = acknowledged.putIfAbsent(no, codes);
                assertTrue(earlier == null || earlier.equals(codes), "a repeat answered with other codes");
                if (answered.incrementAndGet() == CLIENTS * ORDERS_PER_CLIENT / 4) {
                  crash.complete(null);
                }
                break;
              }
              assertTrue(reply == null || reply.status() == 503 || reply.status() == 429,
                  "only 'retry' answers while Cassandra is away: " + (reply == null ? "" : reply.body()));
              sleep(200);
            }
          }
        }));
      }
      crash.get(3, TimeUnit.MINUTES);
      cassandra.get().kill();
      sleep(3_000);
      cassandra.set(DevCassandra.start(settings));
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(8, TimeUnit.MINUTES);

      assertEquals(CLIENTS * ORDERS_PER_CLIENT, acknowledged.size(), "every order was acknowledged in the end");
      Set<String> allCodes = new HashSet<>();
      for (Map.Entry<String, List<String>> order : acknowledged.entrySet()) {
        Reply reply = signed(node, c, "GET", "/api/v1/orders/" + order.getKey(), "");
        assertEquals(200, reply.status(), order.getKey() + " was acknowledged and must exist: " + reply.body());
        assertEquals("DELIVERED", reply.body().path("status").asText());
        List<String> codes = new ArrayList<>();
        reply.body().path("codes").forEach(code -> codes.add(code.path("code").asText()));
        assertEquals(order.getValue(), codes, "the codes acknowledged are the codes the order holds");
        assertTrue(allCodes.addAll(codes), "a code was delivered to two orders");
      }
      int delivered = acknowledged.size();
      Await.until("half-done orders reconciled: stock allocated = orders delivered", Duration.ofSeconds(60),
          () -> stock(admin, skuId).path("allocated").asLong() == delivered);
      JsonNode account = account(admin, c);
      assertEquals(10_000_000 - PRICE * delivered, account.path("balance").path("amount").asLong(),
          "every charge has its order, or was refunded");
      // The sales ledger reaches every order, including those whose account event reached the
      // journal while the write of its tag view failed with Cassandra.
      Await.until("the sales ledger counts every order and the ledger check is clean", Duration.ofSeconds(120),
          () -> salesUnits(admin, c, skuId) == delivered && salesNet(admin, c, skuId) == PRICE * delivered
              && ledgerClean(admin, c, skuId));
    } finally {
      cassandra.get().close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
