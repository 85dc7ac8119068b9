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
import com.quanyi.node.testkit.NodeProcess;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node in its own process is killed with SIGKILL while 16 clients order from it; nobody retries.
 * A new node on the same Cassandra then finishes or gives back, by itself, whatever was in flight:
 * every 201 is DELIVERED with the codes it was sent, no code is in two orders, and stock and
 * balance agree exactly with the orders that exist (an order written but never answered counts).
 */
class NodeKillIT {

  private static final Logger log = LoggerFactory.getLogger(NodeKillIT.class);
  private static final long PRICE = 1000;
  private static final long DEPOSIT = 1_000_000;

  @Test
  void aNodeKilledInTheMiddleOfAStreamOfOrdersLeavesNothingHalfDone() throws Exception {
    Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    Channel c;
    String skuId;
    try (NodeProcess doomed = NodeProcess.startServing()) {
      HttpTestClient admin = new HttpTestClient(doomed.httpPort());
      c = channel(admin, DEPOSIT);
      skuId = stockedSku(admin, c, 400, PRICE);
      AtomicInteger answered = new AtomicInteger();
      AtomicBoolean killed = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int client = 0; client < 16; client++) {
        int id = client;
        Channel channel = c;
        String sku = skuId;
        clients.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; !killed.get(); i++) {
            String no = "K-" + id + "-" + i;
            sent.add(no);
            Reply reply = signed(doomed.httpPort(), channel, "POST", "/api/v1/orders", order(no, sku));
            if (reply == null) {
              return;
            }
            if (reply.status() == 201) {
              acknowledged.put(no, codes(reply.body()));
              if (answered.incrementAndGet() == 80 && killed.compareAndSet(false, true)) {
                kill(doomed);
              }
            }
          }
        }, pool));
      }
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
      pool.shutdown();
    }
    assertTrue(acknowledged.size() >= 80, "orders acknowledged before the kill: " + acknowledged.size());

    try (Node node = TestNodes.startReady()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      // Before anyone touches the channel: the books must converge by themselves, the sales
      // ledger included, although orders written just before the kill may have reached the
      // journal but not (yet) the projections' tag views.
      Await.until("the projections agree with the SKU's allocations and the ledger check is clean, with nobody "
          + "touching the channel", Duration.ofSeconds(120), () -> salesUnits(admin, c, skuId)
          == stock(admin, skuId).path("allocated").asLong() && ledgerClean(admin, c, skuId));
      JsonNode before = account(admin, c);
      Map<String, List<String>> delivered = new HashMap<>();
      for (String no : sent) {
        Reply reply = signed(node, c, "GET", "/api/v1/orders/" + no, "");
        if (reply.status() == 200) {
          assertEquals("DELIVERED", reply.body().path("status").asText(), no);
          delivered.put(no, codes(reply.body()));
        } else {
          assertEquals(404, reply.status(), no + ": " + reply.body());
        }
      }
      for (Map.Entry<String, List<String>> ack : acknowledged.entrySet()) {
        assertEquals(ack.getValue(), delivered.get(ack.getKey()), "an acknowledged order holds the codes it was sent");
      }
      Set<String> codes = new HashSet<>();
      delivered.values().forEach(list -> list.forEach(code -> assertTrue(codes.add(code), "a code in two orders")));
      long units = delivered.size();
      log.info("{} orders sent, {} acknowledged, {} written; at the restart the account had charged {} and "
          + "refunded {} (written orders: {})", sent.size(), acknowledged.size(), units,
          before.path("debited").path("amount").asLong(), before.path("refunded").path("amount").asLong(),
          units * PRICE);
      Await.until("in-flight orders finished or given back, with nobody retrying", Duration.ofSeconds(60), () ->
          stock(admin, skuId).path("allocated").asLong() == units
              && account(admin, c).path("balance").path("amount").asLong() == DEPOSIT - units * PRICE);
      JsonNode ledger = account(admin, c);
      assertEquals(units * PRICE, ledger.path("debited").path("amount").asLong()
          - ledger.path("refunded").path("amount").asLong(), "every charge has a delivery or a refund");
      assertEquals(units, salesUnits(admin, c, skuId), "the sales ledger counts every written order");
      assertEquals(units * PRICE, salesNet(admin, c, skuId), "the sales ledger charges every written order, net of refunds");
      assertTrue(ledgerClean(admin, c, skuId), "the ledger check is clean");
    }
  }

  private static void kill(NodeProcess node) {
    try {
      node.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> codes(JsonNode order) {
    List<String> codes = new ArrayList<>();
    order.path("codes").forEach(code -> codes.add(code.path("code").asText()));
    return codes;
  }
}
