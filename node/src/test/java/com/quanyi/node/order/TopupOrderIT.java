package com.quanyi.node.order;

import static com.quanyi.node.testkit.Partners.account;
import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.TopupFixture.topup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.supplier.sim.SimulatedBehavior;
import com.quanyi.node.supplier.sim.SupplierSimulator;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TopupFixture;
import com.quanyi.node.testkit.TopupFixture.Market;
import com.quanyi.node.testkit.Scrape;
import com.quanyi.node.testkit.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct top-ups over signed HTTP, through real simulated suppliers: 201 PROCESSING at once, then
 * DELIVERED through the first supplier that serves, or FAILED with the money back; exactly one
 * top-up in the suppliers' own ledgers. A restart mid-call: {@link TopupRecoveryIT}.
 */
class TopupOrderIT {

  static final Map<String, Object> FAST = Map.of(
      "quanyi.suppliers.query-every", "200ms",
      "quanyi.suppliers.resolve-within", "6s",
      "quanyi.suppliers.failures-to-open", 100,
      "quanyi.suppliers.recheck-after", "2s");
  static final long PRICE = TopupFixture.PRICE;

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one(FAST);

  @RegisterExtension
  final TopupFixture topups = new TopupFixture(nodes::admin);

  static JsonNode finalOrder(Node on, Channel c, String no) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    Await.until("order " + no + " ends", Duration.ofSeconds(40), () -> {
      Reply reply = signed(on, c, "GET", "/api/v1/orders/" + no, "");
      last.set(reply == null ? null : reply.body());
      // "Retry" (503) is no answer yet: e.g. right after a restart (NonceRegistry's fence).
      return reply != null && reply.status() != 503 && !reply.body().path("status").asText().equals("PROCESSING");
    });
    return last.get();
  }

  static long balance(HttpTestClient api, Channel c) {
    return account(api, c).path("balance").path("amount").asLong();
  }

  @Test
  void aTopupIsAcceptedAtOnceAndDeliveredByTheFirstSupplier() throws Exception {
    Market market = topups.market(100_000, 2000);
    SupplierSimulator simA = market.supplier(0);
    Channel c = market.channel();
    String sku = market.skuId();

    Reply placed = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("T-1", sku, "13800138000"));
    assertEquals(201, placed.status(), placed.body().toString());
    assertEquals("PROCESSING", placed.body().path("status").asText());
    assertTrue(placed.body().path("codes").isMissingNode(), "a top-up has no codes");
    assertEquals(100_000 - PRICE, balance(nodes.admin(), c), "charged when accepted");

    assertEquals("DELIVERED", finalOrder(nodes.node(), c, "T-1").path("status").asText());
    assertEquals(1, simA.toppedUp().size());
    assertEquals("13800138000", simA.toppedUp().get(0).account());
    assertEquals(5000, simA.toppedUp().get(0).amount(), "the supplier tops up the face value");
    Reply again = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("T-1", sku, "13800138000"));
    assertEquals(200, again.status());
    assertEquals("DELIVERED", again.body().path("status").asText());
    assertEquals(100_000 - PRICE, balance(nodes.admin(), c), "never charged twice");
    assertEquals(1, simA.toppedUp().size(), "never topped up twice");
    Scrape metrics = Scrape.of(nodes.node());
    assertTrue(metrics.value("quanyi_supplier_submit_seconds_count", Map.of("supplier", market.supplierId(0))) >= 1,
        "the submission is timed");
    assertEquals(0, metrics.value("quanyi_supplier_circuit", Map.of("supplier", market.supplierId(0))), "closed");
  }

  @Test
  void anErroringSupplierFailsOverAndALateSuccessIsNeverDoubled() throws Exception {
    Market market = topups.market(100_000, 500, 2000);
    SupplierSimulator simA = market.supplier(0);
    SupplierSimulator simB = market.supplier(1);
    Channel c = market.channel();
    String sku = market.skuId();

    simA.behave(SimulatedBehavior.healthy().withErrorRate(1));
    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("E-1", sku, "13900000001")).status());
    assertEquals("DELIVERED", finalOrder(nodes.node(), c, "E-1").path("status").asText());
    assertEquals(0, simA.toppedUp().size());
    assertEquals(1, simB.toppedUp().size(), "B served after A's error");

    simA.behave(SimulatedBehavior.healthy().withHang(1, Duration.ofSeconds(2)));
    long bAsked = simB.requests();
    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("L-1", sku, "13900000002")).status());
    assertEquals("DELIVERED", finalOrder(nodes.node(), c, "L-1").path("status").asText());
    assertEquals(1, simA.toppedUp().size(), "A's late success is the delivery");
    assertEquals(bAsked, simB.requests(), "B was not asked while A might still top up");
    assertEquals(100_000 - 2 * PRICE, balance(nodes.admin(), c));
  }

  /** The supplier statements (a projection of the order events) against each simulator's own ledger. */
  @Test
  void supplierStatementsMatchTheSuppliersOwnLedgers() throws Exception {
    Market market = topups.market(1_000_000, 2000, 2000);
    SupplierSimulator simA = market.supplier(0);
    SupplierSimulator simB = market.supplier(1);
    simA.behave(SimulatedBehavior.healthy().withErrorRate(0.5));
    Channel c = market.channel();
    String sku = market.skuId();
    int orders = 20;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<Reply>> sent = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String body = topup("SR-" + i, sku, "1390000" + String.format("%04d", i));
      sent.add(pool.submit(() -> signed(nodes.node(), c, "POST", "/api/v1/orders", body)));
    }
    for (java.util.concurrent.Future<Reply> reply : sent) {
      assertEquals(201, reply.get().status(), reply.get().body().toString());
    }
    pool.shutdown();
    for (int i = 0; i < orders; i++) {
      assertEquals("DELIVERED", finalOrder(nodes.node(), c, "SR-" + i).path("status").asText());
    }
    int byA = simA.toppedUp().size();
    int byB = simB.toppedUp().size();
    assertEquals(orders, byA + byB);
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
    String statement = "/admin/v1/reports/suppliers?from=" + today.minusDays(1) + "&to=" + today.plusDays(1)
        + "&supplierId=";
    Await.until("the supplier statements", Duration.ofSeconds(60), () ->
        line(nodes.admin().get(statement + market.supplierId(0), TestNodes.ADMIN_TOKEN).json()).equals(orders + "/" + byA + "/" + (orders - byA)
            + "/" + byA * 4800L)
        && line(nodes.admin().get(statement + market.supplierId(1), TestNodes.ADMIN_TOKEN).json()).equals(byB + "/" + byB + "/0/" + byB * 4800L));
  }

  /** submitted/succeeded/failed/cost summed over a statement's days. */
  private static String line(JsonNode statement) {
    long submitted = 0;
    long succeeded = 0;
    long failed = 0;
    long cost = 0;
    for (JsonNode day : statement.path("days")) {
      submitted += day.path("submitted").asLong();
      succeeded += day.path("succeeded").asLong();
      failed += day.path("failed").asLong();
      cost += day.path("cost").asLong();
    }
    return submitted + "/" + succeeded + "/" + failed + "/" + cost;
  }

  @Test
  void whenEverySupplierFailsTheOrderFailsAndTheMoneyComesBack() throws Exception {
    Market market = topups.market(100_000, 2000, 2000);
    SupplierSimulator simA = market.supplier(0);
    SupplierSimulator simB = market.supplier(1);
    simA.behave(SimulatedBehavior.healthy().withOutOfStock(true));
    simB.behave(SimulatedBehavior.healthy().withErrorRate(1));
    Channel c = market.channel();
    String sku = market.skuId();

    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("F-1", sku, "13700000000")).status());
    assertEquals("FAILED", finalOrder(nodes.node(), c, "F-1").path("status").asText());
    assertEquals(100_000, balance(nodes.admin(), c), "the charge was refunded");
    JsonNode acc = account(nodes.admin(), c);
    assertEquals(PRICE, acc.path("refunded").path("amount").asLong(), "refunded once");
    assertTrue(simA.toppedUp().isEmpty() && simB.toppedUp().isEmpty());
  }

  @Test
  void badTopupsAreRefusedAndChargeNothing() throws Exception {
    Market market = topups.market(100_000, 2000);
    SupplierSimulator simA = market.supplier(0);
    Channel c = market.channel();
    String sku = market.skuId();
    Reply wrongAccount = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("B-1", sku, "not-a-phone"));
    assertEquals(400, wrongAccount.status(), wrongAccount.body().toString());
    assertEquals("INVALID_REQUEST", wrongAccount.body().path("code").asText());
    Channel poor = channel(nodes.admin(), 100);
    nodes.admin().send("PUT", "/admin/v1/channels/" + poor.id() + "/prices/" + sku, TestNodes.ADMIN_TOKEN, "application/json",
        ("{\"price\": {\"amount\": " + PRICE + ", \"currency\": \"CNY\"}}").getBytes());
    Reply broke = signed(nodes.node(), poor, "POST", "/api/v1/orders", topup("B-2", sku, "13800138000"));
    assertEquals(422, broke.status());
    assertEquals("INSUFFICIENT_BALANCE", broke.body().path("code").asText());
    assertEquals(404, signed(nodes.node(), poor, "GET", "/api/v1/orders/B-2", "").status(), "a refused order does not exist");
    assertEquals(100_000, balance(nodes.admin(), c));
    assertEquals(100, balance(nodes.admin(), poor));
    Thread.sleep(1000);
    assertTrue(simA.ledger().isEmpty(), "nothing reached the supplier");
  }

  @Test
  void aTopupNoSupplierWillSettleWaitsForAnOperator() throws Exception {
    Market market = topups.market(100_000, 2000, 2000);
    SupplierSimulator simA = market.supplier(0);
    SupplierSimulator simB = market.supplier(1);
    simA.behave(SimulatedBehavior.healthy().withLate(1, Duration.ofHours(1)));
    Channel c = market.channel();
    String sku = market.skuId();
    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("U-1", sku, "13500000001")).status());
    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("U-2", sku, "13500000002")).status());
    String first = c.id() + "~U-1";
    String second = c.id() + "~U-2";
    Await.until("both orders wait for review", Duration.ofSeconds(40), () -> {
      String reviews = nodes.admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).body();
      return reviews.contains(first) && reviews.contains(second);
    });
    assertEquals("PROCESSING", signed(nodes.node(), c, "GET", "/api/v1/orders/U-1", "").body().path("status").asText(),
        "the channel sees the truth: not known yet");
    assertTrue(nodes.admin().get("/admin/v1/orders/" + first, TestNodes.ADMIN_TOKEN).json().path("review").asText()
        .contains(market.supplierId(0)), "operators see why");
    assertEquals(0, simB.requests(), "nobody else was asked while A might still top up");
    assertEquals(100_000 - 2 * PRICE, balance(nodes.admin(), c));

    HttpTestClient.Response failed = nodes.admin().post("/admin/v1/orders/" + first + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"FAILED\"}");
    assertEquals(200, failed.status(), failed.body());
    assertEquals("FAILED", failed.json().path("status").asText());
    HttpTestClient.Response delivered = nodes.admin().post("/admin/v1/orders/" + second + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"DELIVERED\"}");
    assertEquals("DELIVERED", delivered.json().path("status").asText());
    assertEquals(100_000 - PRICE, balance(nodes.admin(), c), "the failed one was refunded, once");
    assertEquals("FAILED", signed(nodes.node(), c, "GET", "/api/v1/orders/U-1", "").body().path("status").asText());
    String reviews = nodes.admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).body();
    assertTrue(!reviews.contains(first) && !reviews.contains(second), reviews);

    HttpTestClient.Response again = nodes.admin().post("/admin/v1/orders/" + first + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"DELIVERED\"}");
    assertEquals(400, again.status(), "a settled order is not settled again");
    assertEquals(400, nodes.admin().post("/admin/v1/orders/" + first + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"PROCESSING\"}").status());
    assertEquals(404, nodes.admin().post("/admin/v1/orders/" + c.id() + "~nope/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"FAILED\"}").status());
    assertEquals(100_000 - PRICE, balance(nodes.admin(), c));
  }

  @Test
  void aTopupHeldByRiskControlReachesNoSupplierUntilApprovedAndABlockedAccountIsRefused() throws Exception {
    Market market = topups.market(100_000, 2000);
    SupplierSimulator simA = market.supplier(0);
    Channel c = market.channel();
    String sku = market.skuId();
    try {
      RiskRules.replace(nodes.admin(), RiskRules.rule("every-topup", c.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW",
          "MANUAL_CHECK"));
      Reply held = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("H-1", sku, "13800138001"));
      assertEquals(201, held.status(), held.body().toString());
      assertEquals("REVIEW", held.body().path("status").asText());
      assertEquals(100_000 - PRICE, balance(nodes.admin(), c), "the charge is held");
      Thread.sleep(1500);
      assertEquals(0, simA.requests(), "nothing reaches a supplier while the order is held");

      Response approved = nodes.admin().post("/admin/v1/orders/" + c.id() + "~H-1/approve", TestNodes.ADMIN_TOKEN, "{}");
      assertEquals(200, approved.status(), approved.body());
      assertEquals("DELIVERED", finalOrder(nodes.node(), c, "H-1").path("status").asText());
      assertEquals(1, simA.toppedUp().size());
      assertEquals(100_000 - PRICE, balance(nodes.admin(), c));

      Reply rejectedLater = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("H-2", sku, "13800138002"));
      assertEquals("REVIEW", rejectedLater.body().path("status").asText());
      Response rejected = nodes.admin().post("/admin/v1/orders/" + c.id() + "~H-2/reject", TestNodes.ADMIN_TOKEN, "{}");
      assertEquals("FAILED", rejected.json().path("status").asText());
      assertEquals(100_000 - PRICE, balance(nodes.admin(), c), "the held charge was refunded");
      assertEquals(1, simA.toppedUp().size());

      RiskRules.replace(nodes.admin());
      assertEquals(201, nodes.admin().post("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN,
          "{\"list\": \"BLOCK\", \"subject\": \"RECHARGE_ACCOUNT\", \"value\": \"13900000009\"}").status());
      Reply blocked = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("H-3", sku, "13900000009"));
      assertEquals(422, blocked.status());
      assertTrue(blocked.body().path("detail").asText().contains("BLOCKLISTED_RECHARGE_ACCOUNT"));
      assertEquals(100_000 - PRICE, balance(nodes.admin(), c));
    } finally {
      RiskRules.clear(nodes.admin());
    }
  }

  @Test
  void concurrentRepeatsAndABalanceForFewerTopupsNeverChargeOrTopUpTwice() throws Exception {
    Market market = topups.market(5 * PRICE, 2000);
    SupplierSimulator simA = market.supplier(0);
    Channel c = market.channel();
    String sku = market.skuId();

    List<java.util.concurrent.CompletableFuture<Reply>> same = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      same.add(java.util.concurrent.CompletableFuture.supplyAsync(
          () -> signed(nodes.node(), c, "POST", "/api/v1/orders", topup("S-1", sku, "13800000001"))));
    }
    List<Reply> sameReplies = same.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    assertEquals(1, sameReplies.stream().filter(r -> r.status() == 201).count(), sameReplies.toString());
    assertEquals(29, sameReplies.stream().filter(r -> r.status() == 200).count());

    List<java.util.concurrent.CompletableFuture<Reply>> many = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String no = "M-" + i;
      many.add(java.util.concurrent.CompletableFuture.supplyAsync(
          () -> signed(nodes.node(), c, "POST", "/api/v1/orders", topup(no, sku, "1380000010" + (no.length() % 10)))));
    }
    List<Reply> manyReplies = many.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    assertEquals(4, manyReplies.stream().filter(r -> r.status() == 201).count(), "the balance paid for 4 more");
    assertEquals(8, manyReplies.stream().filter(r -> r.status() == 422
        && r.body().path("code").asText().equals("INSUFFICIENT_BALANCE")).count());
    assertEquals(0, balance(nodes.admin(), c), "never below zero");
    Await.until("every accepted top-up delivered", Duration.ofSeconds(30), () -> simA.toppedUp().size() == 5);
    Thread.sleep(500);
    assertEquals(5, simA.toppedUp().size(), "one top-up per accepted order, none for the refused");
  }

  @Test
  void aRequestThatToppedUpAfterTheOrderWentElsewhereIsFoundAndReported() throws Exception {
    Market market = topups.market(100_000, 2000, 2000);
    SupplierSimulator simA = market.supplier(0);
    SupplierSimulator simB = market.supplier(1);
    simA.behave(SimulatedBehavior.healthy().withLost(1, Duration.ofSeconds(1)));
    Channel c = market.channel();
    String sku = market.skuId();
    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("D-1", sku, "13800000009")).status());
    assertEquals("DELIVERED", finalOrder(nodes.node(), c, "D-1").path("status").asText());
    assertEquals(1, simB.toppedUp().size(), "A said it never received it: B served");
    String orderId = c.id() + "~D-1";
    Await.until("the late top-up at A is reported", Duration.ofSeconds(30), () ->
        nodes.admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).body().contains(orderId));
    assertEquals(1, simA.toppedUp().size(), "A did top up, late: the double top-up the recheck found");
    assertTrue(nodes.admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).body().contains("possible double top-up"));
  }
}
