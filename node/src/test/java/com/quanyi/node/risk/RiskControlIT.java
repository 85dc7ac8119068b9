package com.quanyi.node.risk;

import static com.quanyi.node.testkit.Partners.account;
import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stock;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static com.quanyi.node.testkit.RiskRules.order;
import static com.quanyi.node.testkit.RiskRules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Risk control end to end: signed orders over real sockets, on a cluster of two nodes, profiles in sharding. */
class RiskControlIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.cluster(2);

  @AfterEach
  void clearRules() {
    RiskRules.clear(nodes.admin());
    RiskRules.inForceEverywhere(nodes.admin(), nodes.admin(1));
  }

  private static void inForce() {
    RiskRules.inForceEverywhere(nodes.admin(), nodes.admin(1));
  }

  private static String subnet() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(1, 255) + "." + random.nextInt(0, 256);
  }

  private static Response subject(String subject) {
    return nodes.admin().get("/admin/v1/risk/subjects?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8),
        TestNodes.ADMIN_TOKEN);
  }

  private static JsonNode decisions(String orderId) {
    return nodes.admin().get("/admin/v1/risk/decisions?orderId=" + URLEncoder.encode(orderId, StandardCharsets.UTF_8),
        TestNodes.ADMIN_TOKEN).json().path("decisions");
  }

  @Test
  void aFarmOfBuyersOnOneAddressIsStoppedAtTheThresholdWhileBuyersOnTheirOwnAddressesPass() throws Exception {
    Channel c = channel(nodes.admin(), 1_000_000);
    String sku = stockedSku(nodes.admin(), c, 700, 100);
    assertEquals(200, RiskRules.replace(nodes.admin(), rule("farm", c.id(), "IP", "DISTINCT_BUYERS", "HOUR", 20, "REJECT",
        "IP_FARM", "\"blockFor\": \"PT1H\"")).status());
    inForce();
    String farmIp = subnet() + ".7";

    ExecutorService pool = Executors.newFixedThreadPool(16);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger wrongReason = new AtomicInteger();
    try {
      List<Future<?>> sent = IntStream.range(0, 500).<Future<?>>mapToObj(i -> pool.submit(() -> {
        Reply r = signed(nodes.node(0), c, "POST", "/api/v1/orders", order("F-" + i, sku, 1, "farm-" + i, farmIp, null));
        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
        if (r.status() == 422 && (!r.body().path("code").asText().equals("RISK_REJECTED")
            || !r.body().path("detail").asText().contains("IP_FARM"))) {
          wrongReason.incrementAndGet();
        }
      })).toList();
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(20, statuses.get(201).get(), "orders from the farm accepted: " + statuses);
    assertEquals(480, statuses.get(422).get(), "orders from the farm refused: " + statuses);
    assertEquals(0, wrongReason.get());

    // The rule blocked the address: even a buyer it already let through is refused now.
    Reply again = signed(nodes.node(0), c, "POST", "/api/v1/orders", order("F-again", sku, 1, "farm-0", farmIp, null));
    assertEquals(422, again.status());
    assertTrue(again.body().path("detail").asText().contains("IP_FARM"));

    // Buyers on their own addresses, each at a normal pace, all pass.
    String street = subnet();
    for (int i = 0; i < 60; i++) {
      for (int n = 0; n < 2; n++) {
        Reply ok = signed(i % 2 == 0 ? nodes.node(0) : nodes.node(1), c, "POST", "/api/v1/orders",
            order("L-" + i + "-" + n, sku, 1, "legit-" + i, street + "." + (i + 1), "dev-" + i));
        assertEquals(201, ok.status(), ok.body().toString());
      }
    }
    assertEquals(1_000_000 - 140 * 100, account(nodes.admin(), c).path("balance").path("amount").asLong());
    assertEquals(140, stock(nodes.admin(), sku).path("allocated").asLong());

    JsonNode farm = subject("ip:" + farmIp).json();
    assertEquals("IP_FARM", farm.path("profile").path("blockReason").asText());
    assertTrue(Instant.parse(farm.path("profile").path("blockedUntil").asText()).isAfter(Instant.now().plusSeconds(3000)));
    Await.until("the farm's refusals in the decision log", Duration.ofSeconds(10),
        () -> subject("ip:" + farmIp).json().path("decisions").size() >= 50);
    JsonNode refused = decisions(c.id() + "~F-again");
    assertEquals("REJECT", refused.get(0).path("decision").asText());
    assertEquals("IP_FARM", refused.get(0).path("reason").asText());
    JsonNode accepted = decisions(c.id() + "~L-0-0");
    assertEquals("ALLOW", accepted.get(0).path("decision").asText());
  }

  @Test
  void aShadowRuleChangesNoDecisionAndAnEnforcedOneStopsTheNextOrderOnEveryNode() throws Exception {
    Channel c = channel(nodes.admin(), 1_000_000);
    String sku = stockedSku(nodes.admin(), c, 50, 100);
    String ip = subnet() + ".1";
    String velocity = rule("velocity", c.id(), "BUYER", "ORDERS", "MINUTE", 2, "REJECT", "VELOCITY",
        "\"shadow\": true");
    assertEquals(200, RiskRules.replace(nodes.admin(), velocity).status());
    inForce();
    for (int i = 0; i < 4; i++) {
      assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("S-" + i, sku, 1, "shadowed", ip, null))
          .status());
    }
    Await.until("shadow hits recorded", Duration.ofSeconds(10), () -> decisions(c.id() + "~S-3").size() == 1);
    JsonNode shadow = decisions(c.id() + "~S-3").get(0);
    assertEquals("ALLOW", shadow.path("decision").asText());
    assertEquals("velocity", shadow.path("hits").get(0).path("ruleId").asText());
    assertTrue(shadow.path("hits").get(0).path("shadow").asBoolean());

    // An edit made on a stale copy is refused, not merged.
    long version = nodes.admin().get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("version").asLong();
    Response stale = nodes.admin().send("PUT", "/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN, "application/json",
        ("{\"expectedVersion\": " + (version - 1) + ", \"rules\": []}").getBytes());
    assertEquals(409, stale.status());
    assertEquals("VERSION_CONFLICT", stale.problemCode());

    // Enforced, through the first node: the second node (which has the shadow rule) must follow within seconds.
    Response enforced = nodes.admin().send("PUT", "/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN, "application/json",
        ("{\"expectedVersion\": " + version + ", \"rules\": [" + velocity.replace("\"shadow\": true", "\"shadow\": false")
            + "]}").getBytes());
    assertEquals(200, enforced.status(), enforced.body());
    // Each order runs on the node that hosts its entity; either node's copy must follow within seconds.
    Reply next = firstRefusal(nodes.node(0), c, sku, "shadowed", ip, "S-next-");
    assertTrue(next.body().path("detail").asText().contains("VELOCITY"), next.body().toString());
    Reply elsewhere = firstRefusal(nodes.node(1), c, sku, "elsewhere", ip, "P-");
    assertTrue(elsewhere.body().path("detail").asText().contains("VELOCITY"), elsewhere.body().toString());
    JsonNode history = nodes.admin().get("/admin/v1/risk/rules/history", TestNodes.ADMIN_TOKEN).json().path("changes");
    JsonNode last = history.get(history.size() - 1);
    assertEquals(version + 1, last.path("version").asLong());
    assertFalse(last.path("actor").asText().isBlank());
  }

  /**
   * Places orders of one buyer, one at a time, until one is refused; fails when none is within
   * 5 s (the rule change has not reached the node that ran them).
   */
  private static Reply firstRefusal(Node node, Channel c, String sku, String buyer, String ip, String prefix)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (int i = 0; ; i++) {
      Reply r = signed(node, c, "POST", "/api/v1/orders", order(prefix + i, sku, 1, buyer, ip, null));
      if (r.status() == 422) {
        return r;
      }
      assertEquals(201, r.status(), r.body().toString());
      assertTrue(System.nanoTime() < deadline, "orders still accepted 5 s after the rule change");
      Thread.sleep(50);
    }
  }

  @Test
  void blockedRangesRefuseEveryAddressInThemUntilTheyExpire() {
    Channel c = channel(nodes.admin(), 1_000_000);
    String sku = stockedSku(nodes.admin(), c, 20, 100);
    String blocked = subnet();
    String other = subnet();
    Response added = nodes.admin().post("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN,
        "{\"list\": \"BLOCK\", \"subject\": \"IP\", \"value\": \"" + blocked + ".0/24\", \"expiresAt\": \""
            + Instant.now().plusSeconds(8) + "\", \"reason\": \"card testing\"}");
    assertEquals(201, added.status(), added.body());
    inForce();
    assertEquals(422, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("B-1", sku, 1, "u1", blocked + ".1", null))
        .status());
    Reply refused = signed(nodes.node(1), c, "POST", "/api/v1/orders", order("B-1", sku, 1, "u1", blocked + ".9", null));
    assertEquals(422, refused.status());
    assertEquals("RISK_REJECTED", refused.body().path("code").asText());
    assertTrue(refused.body().path("detail").asText().contains("BLOCKLISTED_IP"));
    assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("B-2", sku, 1, "u2", other + ".9", null))
        .status());
    Await.until("the block expired", Duration.ofSeconds(20),
        () -> signed(nodes.node(1), c, "POST", "/api/v1/orders", order("B-1", sku, 1, "u1", blocked + ".9", null))
            .status() == 201);

    Response device = nodes.admin().post("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN,
        "{\"list\": \"BLOCK\", \"subject\": \"DEVICE\", \"value\": \"emulator-" + c.id() + "\"}");
    assertEquals(201, device.status());
    inForce();
    Reply fromDevice = signed(nodes.node(0), c, "POST", "/api/v1/orders",
        order("D-1", sku, 1, "u3", other + ".10", "emulator-" + c.id()));
    assertTrue(fromDevice.body().path("detail").asText().contains("BLOCKLISTED_DEVICE"), fromDevice.body().toString());
    assertEquals(200, nodes.admin().send("DELETE", "/admin/v1/risk/lists/" + device.json().path("entryId").asText(),
        TestNodes.ADMIN_TOKEN, "application/json", new byte[0]).status());
    inForce();
    assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders",
        order("D-1", sku, 1, "u3", other + ".10", "emulator-" + c.id())).status());
  }

  @Test
  void anAllowedOfficeAddressIsExemptFromTheFarmRule() {
    Channel c = channel(nodes.admin(), 1_000_000);
    String sku = stockedSku(nodes.admin(), c, 20, 100);
    String office = subnet() + ".50";
    RiskRules.replace(nodes.admin(), rule("farm", c.id(), "IP", "DISTINCT_BUYERS", "HOUR", 1, "REJECT", "IP_FARM"));
    assertEquals(201, nodes.admin().post("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN,
        "{\"list\": \"ALLOW\", \"subject\": \"IP\", \"value\": \"" + office + "\"}").status());
    inForce();
    for (int i = 0; i < 5; i++) {
      assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("O-" + i, sku, 1, "staff-" + i, office, null))
          .status());
    }
    String elsewhere = subnet() + ".51";
    assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("X-0", sku, 1, "x0", elsewhere, null)).status());
    assertEquals(422, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("X-1", sku, 1, "x1", elsewhere, null)).status());
  }

  @Test
  void newBuyersAreLimitedOnHighRiskSkusOnlyUntilTheyAreNoLongerNew() {
    Channel c = channel(nodes.admin(), 1_000_000);
    String high = stockedSku(nodes.admin(), c, 10, 100);
    String low = stockedSku(nodes.admin(), c, 10, 100);
    assertEquals(200, nodes.admin().send("PATCH", "/admin/v1/skus/" + high, TestNodes.ADMIN_TOKEN, "application/json",
        "{\"riskLevel\": \"HIGH\"}".getBytes()).status());
    RiskRules.replace(nodes.admin(), rule("new-buyer", c.id(), "BUYER", "UNITS", "DAY", 1, "REJECT", "NEW_BUYER_LIMIT",
        "\"riskLevels\": [\"HIGH\"]", "\"newBuyerWithin\": \"PT3S\""));
    inForce();
    String ip = subnet() + ".4";
    assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("N-1", high, 1, "newcomer", ip, null)).status());
    Reply more = signed(nodes.node(0), c, "POST", "/api/v1/orders", order("N-2", high, 1, "newcomer", ip, null));
    assertEquals(422, more.status());
    assertTrue(more.body().path("detail").asText().contains("NEW_BUYER_LIMIT"));
    assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("N-3", low, 2, "newcomer", ip, null)).status(),
        "the rule watches HIGH SKUs only");
    // Three seconds after the first sighting the buyer is no longer new, and the rule lets go.
    Await.until("the buyer no longer new", Duration.ofSeconds(10), () -> signed(nodes.node(1), c, "POST", "/api/v1/orders",
        order("N-2", high, 1, "newcomer", ip, null)).status() == 201);
  }

  @Test
  void badRulesAndListEntriesAreRefusedAndChangeNothing() {
    long version = nodes.admin().get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("version").asLong();
    for (String rules : List.of(
        "[" + rule("x", "ch", "IP", "DISTINCT_IPS", "HOUR", 5, "REJECT", "FARM") + "]",
        "[" + rule("x", "ch", "IP", "ORDERS", "WEEK", 5, "REJECT", "FARM") + "]",
        "[" + rule("x", "ch", "IP", "ORDERS", "HOUR", -1, "REJECT", "FARM") + "]",
        "[" + rule("x", "ch", "IP", "ORDERS", "HOUR", 5, "REJECT", "not a code") + "]",
        "[" + rule("x", "ch", "IP", "ORDERS", "HOUR", 5, "REJECT", "FARM") + ","
            + rule("x", "ch", "IP", "ORDERS", "HOUR", 5, "REJECT", "FARM") + "]",
        "[{\"ruleId\": \"x\"}]", "[null]", "\"none\"")) {
      Response r = nodes.admin().send("PUT", "/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN, "application/json",
          ("{\"expectedVersion\": " + version + ", \"rules\": " + rules + "}").getBytes());
      assertEquals(400, r.status(), rules + " -> " + r.body());
      assertEquals("INVALID_REQUEST", r.problemCode());
    }
    for (String entry : List.of("{\"list\": \"BLOCK\", \"subject\": \"IP\", \"value\": \"10.0.0.0/33\"}",
        "{\"list\": \"BLOCK\", \"subject\": \"IP\", \"value\": \"example.com\"}",
        "{\"list\": \"BLOCK\", \"subject\": \"BUYER\", \"value\": \"no-channel\"}",
        "{\"list\": \"BLOCK\", \"subject\": \"IP\", \"value\": \"10.0.0.1\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}",
        "{\"list\": \"MAYBE\", \"subject\": \"IP\", \"value\": \"10.0.0.1\"}")) {
      Response r = nodes.admin().post("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN, entry);
      assertEquals(400, r.status(), entry + " -> " + r.body());
    }
    assertEquals(version, nodes.admin().get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("version").asLong());
    assertEquals(404, nodes.admin().send("DELETE", "/admin/v1/risk/lists/e-none", TestNodes.ADMIN_TOKEN, "application/json",
        new byte[0]).status());
    assertEquals(400, nodes.admin().get("/admin/v1/risk/subjects?subject=nobody", TestNodes.ADMIN_TOKEN).status());
  }

  @Test
  void ordersHeldForReviewAreDeliveredOnApprovalAndRefundedOnRejection() throws Exception {
    Channel c = channel(nodes.admin(), 100_000);
    String sku = stockedSku(nodes.admin(), c, 7, 100);
    String ip = subnet() + ".3";
    RiskRules.replace(nodes.admin(), rule("big", c.id(), "BUYER", "AMOUNT", "DAY", 150, "REVIEW", "BIG_SPENDER"));
    inForce();

    Reply held = signed(nodes.node(0), c, "POST", "/api/v1/orders", order("R-1", sku, 3, "whale", ip, null));
    assertEquals(201, held.status(), held.body().toString());
    assertEquals("REVIEW", held.body().path("status").asText());
    assertTrue(held.body().path("codes").isMissingNode() || held.body().path("codes").isNull());
    assertEquals(100_000 - 300, account(nodes.admin(), c).path("balance").path("amount").asLong(), "the charge is held");
    Await.until("the held order's units go back to stock", Duration.ofSeconds(10),
        () -> stock(nodes.admin(), sku).path("available").asLong() == 7);
    String r1 = c.id() + "~R-1";
    JsonNode queue = nodes.admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).json().path("orders");
    assertTrue(queue.toString().contains(r1) && queue.toString().contains("BIG_SPENDER"), queue.toString());
    assertEquals(400, nodes.admin().post("/admin/v1/orders/" + r1 + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"DELIVERED\"}").status(), "settling is for top-ups no supplier decided");

    // Ten operators approve at once: one delivery, one allocation.
    ExecutorService pool = Executors.newFixedThreadPool(10);
    AtomicInteger approved = new AtomicInteger();
    try {
      List<Future<?>> clicks = IntStream.range(0, 10).<Future<?>>mapToObj(i -> pool.submit(() -> {
        if (nodes.admin().post("/admin/v1/orders/" + r1 + "/approve", TestNodes.ADMIN_TOKEN, "{}").status() == 200) {
          approved.incrementAndGet();
        }
      })).toList();
      for (Future<?> f : clicks) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, approved.get());
    Reply delivered = signed(nodes.node(0), c, "GET", "/api/v1/orders/R-1", "");
    assertEquals("DELIVERED", delivered.body().path("status").asText());
    assertEquals(3, delivered.body().path("codes").size());
    assertEquals(4, stock(nodes.admin(), sku).path("available").asLong());
    assertEquals(3, stock(nodes.admin(), sku).path("allocated").asLong());
    assertEquals(100_000 - 300, account(nodes.admin(), c).path("balance").path("amount").asLong());
    assertFalse(nodes.admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).body().contains(r1));

    Reply secondHeld = signed(nodes.node(0), c, "POST", "/api/v1/orders", order("R-2", sku, 2, "whale", ip, null));
    assertEquals("REVIEW", secondHeld.body().path("status").asText());
    // Ten operators reject at once: one refund.
    ExecutorService rejecters = Executors.newFixedThreadPool(10);
    List<Response> rejections;
    try {
      List<Future<Response>> sent = IntStream.range(0, 10).mapToObj(i -> rejecters.submit(() ->
          nodes.admin().post("/admin/v1/orders/" + c.id() + "~R-2/reject", TestNodes.ADMIN_TOKEN, "{}"))).toList();
      rejections = new java.util.ArrayList<>();
      for (Future<Response> f : sent) {
        rejections.add(f.get());
      }
    } finally {
      rejecters.shutdown();
    }
    List<Response> rejected = rejections.stream().filter(r -> r.status() == 200).toList();
    assertEquals(1, rejected.size(), rejections.toString());
    assertEquals("FAILED", rejected.get(0).json().path("status").asText());
    assertEquals(100_000 - 300, account(nodes.admin(), c).path("balance").path("amount").asLong(), "the charge was refunded once");
    assertEquals(4, stock(nodes.admin(), sku).path("available").asLong());
    assertEquals("FAILED", signed(nodes.node(0), c, "GET", "/api/v1/orders/R-2", "").body().path("status").asText());

    // Held while stock was there; by the time an operator approves, others bought it.
    Reply late = signed(nodes.node(0), c, "POST", "/api/v1/orders", order("R-3", sku, 2, "whale", ip, null));
    assertEquals("REVIEW", late.body().path("status").asText());
    Await.until("units released", Duration.ofSeconds(10), () -> stock(nodes.admin(), sku).path("available").asLong() == 4);
    for (int i = 0; i < 4; i++) {
      assertEquals(201, signed(nodes.node(0), c, "POST", "/api/v1/orders", order("Q-" + i, sku, 1, "small-" + i, ip, null))
          .status());
    }
    Response tooLate = nodes.admin().post("/admin/v1/orders/" + c.id() + "~R-3/approve", TestNodes.ADMIN_TOKEN, "{}");
    assertEquals(200, tooLate.status(), tooLate.body());
    assertEquals("FAILED", tooLate.json().path("status").asText());
    assertEquals(100_000 - 300 - 400, account(nodes.admin(), c).path("balance").path("amount").asLong());
    assertEquals(7, stock(nodes.admin(), sku).path("allocated").asLong());

    assertEquals(400, nodes.admin().post("/admin/v1/orders/" + c.id() + "~Q-0/approve", TestNodes.ADMIN_TOKEN, "{}").status());
    assertEquals(404, nodes.admin().post("/admin/v1/orders/" + c.id() + "~nothing/reject", TestNodes.ADMIN_TOKEN, "{}")
        .status());
    JsonNode decided = decisions(r1);
    assertNotNull(decided.get(0));
    assertEquals("REVIEW", decided.get(0).path("decision").asText());
  }
}
