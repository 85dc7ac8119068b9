package com.quanyi.node.order;

import static com.quanyi.node.testkit.Partners.account;
import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stock;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.persistence.testkit.TestCassandra;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debited;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.order.OrderProcessProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;

/**
 * No order stays half-done: steps cut off between charging and the order's write are reconciled
 * without the channel asking; a node restart in the middle of a stream of orders loses nothing.
 */
class OrderRecoveryIT {

  private static final Duration ASK = Duration.ofSeconds(10);

  @Test
  void stepsCutOffBeforeTheOrderWasWrittenAreGivenBackWithoutTheChannelAsking() {
    try (Node node = TestNodes.startReady()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel c = channel(admin, 10_000);
      String skuId = stockedSku(admin, c, 5, 1000);
      String orderId = OrderProcessProtocol.orderId(c.id(), "CUT-1");
      ClusterSharding sharding = ClusterSharding.get(node.system());
      // What an order entity does before its write, and then its node dies.
      assertInstanceOf(Allocated.class, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
          .<Allocation>ask(r -> new Allocate(orderId, 2, r), ASK).toCompletableFuture().join());
      assertInstanceOf(Debited.class, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, c.id())
          .<DebitReply>ask(r -> new Debit(orderId, Money.of(2000, "CNY"), r), ASK).toCompletableFuture().join());
      assertEquals(3, stock(admin, skuId).path("available").asLong());
      assertEquals(8_000, account(admin, c).path("balance").path("amount").asLong());

      Await.until("the half-done order to be given back", Duration.ofSeconds(30),
          () -> stock(admin, skuId).path("available").asLong() == 5
              && account(admin, c).path("balance").path("amount").asLong() == 10_000);
      assertEquals(2000, account(admin, c).path("refunded").path("amount").asLong());

      Reply placed = signed(node, c, "POST", "/api/v1/orders", order("CUT-1", skuId));
      assertEquals(201, placed.status(), "placing it again later starts afresh");
      assertEquals(9_000, account(admin, c).path("balance").path("amount").asLong());
    }
  }

  /**
   * A node stops with an order cut off between its charge and its write. The next node refunds the
   * charge by itself: sharding remembers the SKU, which starts again and reconciles, although
   * nobody orders from it or asks about it (the test only reads the account). The orders delivered
   * before stay delivered.
   */
  @Test
  void afterARestartTheSkuReconcilesWhatWasInFlightWithoutBeingAsked() throws Exception {
    Node first = TestNodes.startReady();
    HttpTestClient admin = new HttpTestClient(first.httpPort());
    Channel c = channel(admin, 100_000);
    String skuId = stockedSku(admin, c, 50, 1000);
    for (int i = 0; i < 20; i++) {
      assertEquals(201, signed(first, c, "POST", "/api/v1/orders", order("D-" + i, skuId)).status());
    }
    String orderId = OrderProcessProtocol.orderId(c.id(), "CUT-2");
    ClusterSharding sharding = ClusterSharding.get(first.system());
    assertInstanceOf(Allocated.class, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
        .<Allocation>ask(r -> new Allocate(orderId, 2, r), ASK).toCompletableFuture().join());
    assertInstanceOf(Debited.class, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, c.id())
        .<DebitReply>ask(r -> new Debit(orderId, Money.of(2000, "CNY"), r), ASK).toCompletableFuture().join());
    first.close();

    try (Node node = TestNodes.startReady()) {
      HttpTestClient after = new HttpTestClient(node.httpPort());
      Await.until("the cut order's charge refunded", Duration.ofSeconds(40),
          () -> account(after, c).path("balance").path("amount").asLong() == 100_000 - 20 * 1000);
      assertEquals(2000, account(after, c).path("refunded").path("amount").asLong());
      Await.until("its units back", Duration.ofSeconds(10),
          () -> stock(after, skuId).path("allocated").asLong() == 20);
      assertEquals("DELIVERED", signed(node, c, "GET", "/api/v1/orders/D-7", "").body().path("status").asText());
    }
  }

  @Test
  void acceptedOrdersAreConfirmedNotReversed() throws Exception {
    try (Node node = TestNodes.startReady()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel c = channel(admin, 10_000);
      String skuId = stockedSku(admin, c, 5, 1000);
      assertEquals(201, signed(node, c, "POST", "/api/v1/orders", order("OK-1", skuId)).status());
      // Proving that nothing happens: wait past two reconciliation rounds (test config: after 6 s, every 1 s).
      Thread.sleep(9_000);
      assertEquals(9_000, account(admin, c).path("balance").path("amount").asLong());
      assertEquals(1, stock(admin, skuId).path("allocated").asLong());
      assertEquals("DELIVERED", signed(node, c, "GET", "/api/v1/orders/OK-1", "").body().path("status").asText());
    }
  }

  @Test
  void aNodeRestartInTheMiddleOfAStreamOfOrdersLosesNothing() throws Exception {
    AtomicReference<Node> current = new AtomicReference<>(TestNodes.startReady());
    HttpTestClient admin = new HttpTestClient(current.get().httpPort());
    Channel c = channel(admin, 1_000_000);
    String skuId = stockedSku(admin, c, 300, 1000);
    Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger answered = new AtomicInteger();
    CompletableFuture<Void> restart = new CompletableFuture<>();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String no = "R-" + i;
      clients.add(CompletableFuture.runAsync(() -> {
        for (int attempt = 0; attempt < 120; attempt++) {
          Reply reply = signed(current.get(), c, "POST", "/api/v1/orders", order(no, skuId));
          if (reply != null && (reply.status() == 201 || reply.status() == 200)) {
            List<String> codes = new ArrayList<>();
            reply.body().path("codes").forEach(code -> codes.add(code.path("code").asText()));
            List<String> earlier = acknowledged.putIfAbsent(no, codes);
            assertTrue(earlier == null || earlier.equals(codes));
            if (answered.incrementAndGet() == 40) {
              CompletableFuture.runAsync(() -> {
                Node old = current.get();
                old.close();
                current.set(TestNodes.startReady());
              }).whenComplete((done, failure) -> restart.complete(null));
            }
            return;
          }
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }));
    }
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, java.util.concurrent.TimeUnit.MINUTES);
    restart.get(2, java.util.concurrent.TimeUnit.MINUTES);
    Node node = current.get();
    try {
      HttpTestClient after = new HttpTestClient(node.httpPort());
      assertEquals(120, acknowledged.size(), "every order was eventually acknowledged");
      Set<String> allCodes = new HashSet<>();
      for (Map.Entry<String, List<String>> order : acknowledged.entrySet()) {
        // Right after the restart a request may be answered 503 (retry): the nonce registry's fence.
        AtomicReference<Reply> queried = new AtomicReference<>();
        Await.until("order " + order.getKey() + " answered", Duration.ofSeconds(20), () -> {
          queried.set(signed(node, c, "GET", "/api/v1/orders/" + order.getKey(), ""));
          return queried.get() != null && queried.get().status() != 503;
        });
        Reply reply = queried.get();
        assertEquals("DELIVERED", reply.body().path("status").asText(), reply.body().toString());
        List<String> codes = new ArrayList<>();
        reply.body().path("codes").forEach(code -> codes.add(code.path("code").asText()));
        assertEquals(order.getValue(), codes, "the codes acknowledged are the codes the order holds");
        assertTrue(allCodes.addAll(codes), "a code was delivered twice");
      }
      Await.until("every unconfirmed hold reconciled", Duration.ofSeconds(30), () ->
          stock(after, skuId).path("allocated").asLong() == 120);
      JsonNode account = account(after, c);
      assertEquals(120 * 1000, account.path("debited").path("amount").asLong() - account.path("refunded").path("amount").asLong(),
          "every charge has a delivery or a refund");
      assertEquals(1_000_000 - 120 * 1000, account.path("balance").path("amount").asLong());
    } finally {
      node.close();
    }
  }

  /**
   * A card-code order delivered at once is accepted in its account's grouped debit and its entity
   * writes nothing; the acceptance reaches the index. After a restart each order is answered from
   * there with the codes it was sent (its entity adopting the acceptance), and a repeat gets the
   * same order without a second charge.
   */
  @Test
  void anOrderAcceptedWithItsChargeIsAnsweredFromTheIndexAfterARestart() throws Exception {
    Map<String, List<String>> delivered = new java.util.LinkedHashMap<>();
    Channel c;
    String skuId;
    try (Node first = TestNodes.startReady(); CqlSession cql = TestCassandra.get().newSession()) {
      HttpTestClient admin = new HttpTestClient(first.httpPort());
      c = channel(admin, 100_000);
      skuId = stockedSku(admin, c, 10, 1000);
      for (int i = 0; i < 5; i++) {
        Reply reply = signed(first, c, "POST", "/api/v1/orders", order("IX-" + i, skuId));
        assertEquals(201, reply.status());
        delivered.put("IX-" + i, codes(reply));
      }
      String keyspace = first.system().settings().config().getString("quanyi.cassandra.keyspace");
      String journal = first.system().settings().config().getString("quanyi.cassandra.journal-keyspace");
      Await.until("the acceptances in the index", Duration.ofSeconds(10), () -> delivered.keySet().stream()
          .allMatch(no -> cql.execute("SELECT order_id FROM " + keyspace + ".accepted_orders WHERE order_id = ?",
              OrderProcessProtocol.orderId(c.id(), no)).one() != null));
      for (String no : delivered.keySet()) {
        assertEquals(0, cql.execute("SELECT sequence_nr FROM " + journal + ".messages WHERE persistence_id = ? "
                + "AND partition_nr = 0", OrderProcessProtocol.TYPE_KEY.name() + "|" + OrderProcessProtocol.orderId(c.id(), no))
            .all().size(), "the order entity wrote nothing on the order's way in");
      }
    }
    try (Node node = TestNodes.startReady()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      // A node started again within two seconds may answer "retry" to requests its nonce
      // registries cannot judge yet (their predecessors' fence, NonceRegistry): a channel retries.
      Channel channel = c;
      for (Map.Entry<String, List<String>> order : delivered.entrySet()) {
        java.util.concurrent.atomic.AtomicReference<Reply> answer = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until("an answer other than 'retry' for " + order.getKey(), Duration.ofSeconds(15), () -> {
          answer.set(signed(node, channel, "GET", "/api/v1/orders/" + order.getKey(), ""));
          return answer.get().status() != 503;
        });
        Reply reply = answer.get();
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("DELIVERED", reply.body().path("status").asText());
        assertEquals(order.getValue(), codes(reply), "the codes it was sent");
      }
      java.util.concurrent.atomic.AtomicReference<Reply> repeated = new java.util.concurrent.atomic.AtomicReference<>();
      Await.until("an answer other than 'retry' for the repeat", Duration.ofSeconds(15), () -> {
        repeated.set(signed(node, channel, "POST", "/api/v1/orders", order("IX-3", skuId)));
        return repeated.get().status() != 503;
      });
      Reply repeat = repeated.get();
      assertEquals(200, repeat.status(), repeat.body().toString());
      assertEquals(delivered.get("IX-3"), codes(repeat));
      assertEquals(100_000 - 5 * 1000, account(admin, c).path("balance").path("amount").asLong());
      assertEquals(5, stock(admin, skuId).path("allocated").asLong());
    }
  }

  /**
   * A repeat of an order the account and the inventory have forgotten (both hold windows 3 s here,
   * 15 min by default), first while stock remains, then once the SKU is sold out and known to be
   * (the next order is refused, so the sold-out shortcut asks the inventory first): each time the
   * repeat gets the order as it was accepted (200, its codes), also eight at once, and nothing is
   * allocated or charged a second time. Both remember the numbers they saw for a day.
   */
  @Test
  void aRepeatAfterTheHoldWindowGetsTheOrderEvenWhenSoldOut() throws Exception {
    try (Node node = TestNodes.startReady(Map.of("quanyi.channel-account.hold-window", "3s",
        "quanyi.inventory.hold-window", "3s"))) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel c = channel(admin, 100_000);
      String skuId = stockedSku(admin, c, 2, 1000);
      Reply first = signed(node, c, "POST", "/api/v1/orders", order("OLD-1", skuId));
      assertEquals(201, first.status());
      // Time itself must pass the 3 s windows: there is nothing to await.
      Thread.sleep(4_000);
      // A later order of the channel and the SKU makes both forget the first.
      assertEquals(201, signed(node, c, "POST", "/api/v1/orders", order("NEW-1", skuId)).status());
      Reply repeat = signed(node, c, "POST", "/api/v1/orders", order("OLD-1", skuId));
      assertEquals(200, repeat.status());
      assertEquals(codes(first), codes(repeat), "the codes it was sent, not new ones");

      assertEquals(422, signed(node, c, "POST", "/api/v1/orders", order("NEW-2", skuId)).status(), "sold out");
      Reply soldOutRepeat = signed(node, c, "POST", "/api/v1/orders", order("OLD-1", skuId));
      assertEquals(200, soldOutRepeat.status(), "a delivered order, not OUT_OF_STOCK");
      assertEquals(codes(first), codes(soldOutRepeat));
      // Another order forgets the first again; then eight repeats of it at once.
      Thread.sleep(4_000);
      assertEquals(422, signed(node, c, "POST", "/api/v1/orders", order("NEW-3", skuId)).status());
      var clients = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<CompletableFuture<Reply>> repeats = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          repeats.add(CompletableFuture.supplyAsync(
              () -> signed(node, c, "POST", "/api/v1/orders", order("OLD-1", skuId)), clients));
        }
        for (CompletableFuture<Reply> concurrent : repeats) {
          Reply reply = concurrent.get(30, java.util.concurrent.TimeUnit.SECONDS);
          assertEquals(200, reply.status());
          assertEquals(codes(first), codes(reply));
        }
      } finally {
        clients.shutdownNow();
      }

      assertEquals(2, stock(admin, skuId).path("allocated").asLong());
      JsonNode account = account(admin, c);
      assertEquals(100_000 - 2 * 1000, account.path("balance").path("amount").asLong());
      assertEquals(2 * 1000, account.path("debited").path("amount").asLong(), "never charged a second time");
    }
  }

  private static List<String> codes(Reply reply) {
    List<String> codes = new ArrayList<>();
    reply.body().path("codes").forEach(code -> codes.add(code.path("code").asText()));
    return codes;
  }
}
