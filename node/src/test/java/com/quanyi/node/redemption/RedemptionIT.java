package com.quanyi.node.redemption;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redemption (核销) against a real node: a code redeemed exactly once by 100 tills at once, a value
 * card used in parts never below zero under concurrency, a refund racing a redemption (exactly one
 * wins, every time), the codes that cannot be redeemed and why, unknown codes answered as slowly as
 * known ones, a guessing verifier slowed and then blocked, and bad input changing nothing.
 */
class RedemptionIT {

  private static final Logger log = LoggerFactory.getLogger(RedemptionIT.class);

  /** The guard's verifier limits small enough to reach; the address's out of reach (every test is 127.0.0.1). */
  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one(Map.of(
      "quanyi.redemption.guard.verifier.slow-after", 3,
      "quanyi.redemption.guard.verifier.block-after", 8,
      "quanyi.redemption.guard.slow-step", "100ms",
      "quanyi.redemption.guard.address.slow-after", 10_000,
      "quanyi.redemption.guard.address.block-after", 10_000));

  private static final ExecutorService TILLS = Executors.newFixedThreadPool(100);

  @AfterAll
  static void stopTills() {
    TILLS.shutdownNow();
  }

  private static HttpTestClient admin() {
    return nodes.admin();
  }

  /** A verifier as a caller: its key and secret sign like a channel's. */
  private static Channel verifier(String... skuIds) {
    String id = "v-" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder skus = new StringBuilder();
    for (String sku : skuIds) {
      skus.append(skus.length() == 0 ? "" : ", ").append('"').append(sku).append('"');
    }
    HttpTestClient.Response created = admin().post("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN,
        "{\"verifierId\": \"" + id + "\", \"name\": \"Store till\", \"skuIds\": [" + skus + "]}");
    assertEquals(201, created.status(), created.body());
    return new Channel(id, created.json().path("apiKey").asText(), created.json().path("apiSecret").asText());
  }

  /** A verifier scoped to these SKUs and suppliers. */
  private static Channel verifierOf(List<String> skuIds, List<String> supplierIds) {
    String id = "v-" + UUID.randomUUID().toString().substring(0, 8);
    HttpTestClient.Response created = admin().post("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN,
        "{\"verifierId\": \"" + id + "\", \"name\": \"Brand\", \"skuIds\": " + json(skuIds)
            + ", \"supplierIds\": " + json(supplierIds) + "}");
    assertEquals(201, created.status(), created.body());
    return new Channel(id, created.json().path("apiKey").asText(), created.json().path("apiSecret").asText());
  }

  private static String json(List<String> ids) {
    return ids.stream().map(id -> '"' + id + '"').collect(java.util.stream.Collectors.joining(", ", "[", "]"));
  }

  /**
   * A brand scoped to its supplier redeems the codes it supplied in any SKU, and none another
   * supplier supplied, even of the same SKU; a till scoped to a SKU and a supplier redeems either.
   */
  @Test
  void aVerifierScopedToASupplierRedeemsTheCodesThatSupplierSuppliedWhateverTheirSku() {
    String brand = "brand-" + UUID.randomUUID().toString().substring(0, 8);
    Channel shop = channel(admin(), 1_000_000);
    String first = stockedSku(admin(), shop, 0, 100);
    String second = stockedSku(admin(), shop, 0, 100);
    String firstCode = "BR-" + UUID.randomUUID();
    String secondCode = "BR-" + UUID.randomUUID();
    String othersCode = "OT-" + UUID.randomUUID();
    assertEquals(201, admin().send("POST", "/admin/v1/skus/" + first + "/batches?supplierId=" + brand + "&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", firstCode.getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(201, admin().send("POST", "/admin/v1/skus/" + second + "/batches?supplierId=" + brand + "&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", secondCode.getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(201, admin().send("POST", "/admin/v1/skus/" + first + "/batches?supplierId=other&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", othersCode.getBytes(StandardCharsets.UTF_8)).status());
    List<String> sold = new ArrayList<>();
    for (String sku : List.of(first, first, second)) {
      Reply placed = signed(nodes.node(), shop, "POST", "/api/v1/orders",
          RiskRules.order("S-" + UUID.randomUUID().toString().substring(0, 8), sku, 1, "buyer-1", "198.51.100.7", null));
      assertEquals(201, placed.status(), placed.body().toString());
      sold.add(placed.body().path("codes").get(0).path("code").asText());
    }
    assertTrue(sold.containsAll(List.of(firstCode, secondCode, othersCode)), sold.toString());
    Channel any = verifier();
    sold.forEach(code -> redeemable(any, code));

    Channel brandTill = verifierOf(List.of(), List.of(brand));
    assertEquals(404, redeem(brandTill, othersCode, null, null).status(), "the same SKU, another supplier's code");
    assertEquals(200, redeem(brandTill, firstCode, null, null).status());
    assertEquals(200, redeem(brandTill, secondCode, null, null).status(), "the brand's code in another SKU");
    Channel skuOrBrand = verifierOf(List.of(first), List.of(brand));
    assertEquals(200, redeem(skuOrBrand, othersCode, null, null).status(), "its SKU, whoever supplied it");
    String listed = admin().get("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN).body();
    assertTrue(listed.contains("\"supplierIds\":[\"" + brand + "\"]"), listed);
  }

  /** A code delivered to a new channel, in plaintext as the channel got it. */
  private static Delivered delivered(int codes) {
    Channel shop = channel(admin(), 1_000_000);
    String sku = stockedSku(admin(), shop, codes, 100);
    Reply placed = signed(nodes.node(), shop, "POST", "/api/v1/orders",
        RiskRules.order("R-1", sku, codes, "buyer-1", "198.51.100.7", null));
    assertEquals(201, placed.status(), placed.body().toString());
    List<String> plain = new ArrayList<>();
    placed.body().path("codes").forEach(c -> plain.add(c.path("code").asText()));
    return new Delivered(shop, sku, placed.body().path("orderId").asText(), plain);
  }

  private record Delivered(Channel shop, String sku, String orderId, List<String> codes) {}

  private static Reply redeem(Channel till, String code, String place, String amount) {
    return signed(nodes.node(), till, "POST", "/api/v1/redemptions", "{\"code\": \"" + code + "\""
        + (place == null ? "" : ", \"place\": \"" + place + "\"")
        + (amount == null ? "" : ", \"amount\": " + amount) + "}");
  }

  private static Reply check(Channel till, String code) {
    return signed(nodes.node(), till, "POST", "/api/v1/redemptions/check", "{\"code\": \"" + code + "\"}");
  }

  /** A delivery becomes redeemable once the codes projection has it (a second or two). */
  private static void redeemable(Channel till, String code) {
    Await.until("the code is redeemable", Duration.ofSeconds(30),
        () -> check(till, code).body().path("redeemable").asBoolean());
  }

  @Test
  void aCodeIsRedeemedOnceHoweverManyTillsTryAtOnce() {
    Delivered d = delivered(1);
    Channel till = verifier();
    String code = d.codes().get(0);
    redeemable(till, code);

    List<CompletableFuture<Reply>> tries = IntStream.range(0, 100).mapToObj(i -> CompletableFuture.supplyAsync(
        () -> redeem(till, code, "till-" + i, null), TILLS)).toList();
    List<Reply> replies = tries.stream().map(CompletableFuture::join).toList();
    List<Reply> won = replies.stream().filter(r -> r.status() == 200).toList();
    assertEquals(1, won.size(), "exactly one redemption: " + replies.stream().map(Reply::status).toList());
    assertEquals(99, replies.stream().filter(r -> r.status() == 409).count());
    JsonNode redemption = won.get(0).body();
    assertEquals(d.sku(), redemption.path("skuId").asText());
    assertEquals(d.orderId(), redemption.path("orderId").asText());
    assertEquals(d.shop().id(), redemption.path("channelId").asText());
    assertEquals("****" + code.substring(code.length() - 4), redemption.path("code").asText(), "masked");
    assertEquals(0, redemption.path("remaining").path("amount").asLong(), "used up");
    String winner = replies.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().body()
        .path("redeemedAt").asText();
    for (Reply lost : replies.stream().filter(r -> r.status() == 409).toList()) {
      assertEquals("ALREADY_REDEEMED", lost.body().path("code").asText());
      assertEquals(winner, lost.body().path("redeemedAt").asText(), "when the one redemption happened");
      assertTrue(lost.body().path("place").asText().startsWith("till-"));
      assertFalse(lost.body().toString().contains(code), "the code never in an answer");
    }
    JsonNode checked = check(till, code).body();
    assertFalse(checked.path("redeemable").asBoolean());
    assertEquals("ALREADY_REDEEMED", checked.path("reason").asText());
    JsonNode timeline = admin().get("/admin/v1/orders/" + d.orderId() + "/timeline", TestNodes.ADMIN_TOKEN).json();
    long redeemedEvents = 0;
    for (JsonNode e : timeline.path("events")) {
      redeemedEvents += e.path("kind").asText().equals("CODE_REDEEMED") ? 1 : 0;
    }
    assertEquals(1, redeemedEvents, "one event written: " + timeline);
    assertEquals(409, admin().post("/admin/v1/orders/" + d.orderId() + "/refund", TestNodes.ADMIN_TOKEN,
        "{\"reason\": \"customer complaint\"}").status(), "a redeemed order is not refunded");

    HttpTestClient.Response traced = admin().post("/admin/v1/codes/trace", TestNodes.ADMIN_TOKEN,
        "{\"code\": \"" + code + "\"}");
    assertEquals(200, traced.status(), traced.body());
    List<String> kinds = new ArrayList<>();
    traced.json().path("events").forEach(e -> kinds.add(e.path("kind").asText()));
    assertEquals(List.of("IMPORTED", "ALLOCATED", "DELIVERED", "REDEEMED"), kinds, traced.body());
    assertEquals("buyer-1", traced.json().path("events").get(2).path("buyerId").asText(), "delivered to whom");
    assertEquals(d.orderId(), traced.json().path("events").get(1).path("orderId").asText(), "allocated to which order");
    JsonNode redeemedStep = traced.json().path("events").get(3);
    assertEquals(till.id(), redeemedStep.path("verifierId").asText());
    assertEquals(d.orderId(), redeemedStep.path("orderId").asText());
    assertFalse(traced.body().contains(code), "masked in the trace too");
    assertEquals(404, admin().post("/admin/v1/codes/trace", TestNodes.ADMIN_TOKEN, "{\"code\": \"NOPE\"}").status());

    JsonNode line = reportLine(d.sku(), 1);
    assertEquals(1, line.path("delivered").asLong());
    assertEquals(1.0, line.path("rate").asDouble());
    assertEquals(1, line.path("uses").asLong(), "99 refused attempts are no use");
    assertEquals(1500, line.path("amountRedeemed").asLong());
    assertTrue(line.path("averageSecondsToRedeem").asLong() >= 0);
    String batch = redemption.path("batchId").asText();
    JsonNode listed = admin().get("/admin/v1/reports/redemptions?" + today() + "&skuId=" + d.sku() + "&batchId=" + batch,
        TestNodes.ADMIN_TOKEN).json().path("redemptions");
    assertEquals(1, listed.size(), listed.toString());
    assertEquals(till.id(), listed.get(0).path("verifierId").asText());
    assertTrue(listed.get(0).path("usedUp").asBoolean());
  }

  private static String today() {
    String day = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
    return "from=" + day + "&to=" + day;
  }

  /** The SKU's one line in today's redemption report, once it counts {@code redeemed} codes (projection lag). */
  private static JsonNode reportLine(String sku, long redeemed) {
    Await.until("the report counts " + redeemed + " redeemed", Duration.ofSeconds(30), () -> {
      JsonNode lines = admin().get("/admin/v1/reports/redemptions?" + today() + "&skuId=" + sku, TestNodes.ADMIN_TOKEN)
          .json().path("lines");
      return lines.size() == 1 && lines.get(0).path("redeemed").asLong() == redeemed;
    });
    return admin().get("/admin/v1/reports/redemptions?" + today() + "&skuId=" + sku, TestNodes.ADMIN_TOKEN).json()
        .path("lines").get(0);
  }

  @Test
  void aValueCardIsUsedInPartsAndNeverBelowZeroUnderConcurrency() {
    Delivered d = delivered(1);
    Channel till = verifier(d.sku());
    String code = d.codes().get(0);
    redeemable(till, code);
    // Face value 15.00 CNY (Partners.stockedSku): 40 tills take 1.00 each at once.
    List<Reply> replies = IntStream.range(0, 40).mapToObj(i -> CompletableFuture.supplyAsync(
        () -> redeem(till, code, null, "{\"amount\": 100, \"currency\": \"CNY\"}"), TILLS)).toList()
        .stream().map(CompletableFuture::join).toList();
    List<Long> left = replies.stream().filter(r -> r.status() == 200)
        .map(r -> r.body().path("remaining").path("amount").asLong()).sorted().toList();
    assertEquals(15, left.size(), "1500 / 100: " + replies.stream().map(Reply::status).toList());
    assertEquals(LongRange.of(0, 1400, 100), left, "each use left 100 less, none twice");
    assertEquals(25, replies.stream().filter(r -> r.status() == 409).count());
    assertEquals(409, redeem(till, code, null, "{\"amount\": 1, \"currency\": \"CNY\"}").status());
    JsonNode line = reportLine(d.sku(), 1);
    assertEquals(15, line.path("uses").asLong(), "fifteen uses, one code used up");
    assertEquals(1500, line.path("amountRedeemed").asLong());

    Delivered other = delivered(1);
    String second = other.codes().get(0);
    Channel any = verifier();
    redeemable(any, second);
    Reply tooMuch = redeem(any, second, null, "{\"amount\": 1501, \"currency\": \"CNY\"}");
    assertEquals(422, tooMuch.status());
    assertEquals("NOT_REDEEMABLE", tooMuch.body().path("code").asText());
    assertEquals(400, redeem(any, second, null, "{\"amount\": 100, \"currency\": \"USD\"}").status());
    Reply part = redeem(any, second, "counter 2", "{\"amount\": 1000, \"currency\": \"CNY\"}");
    assertEquals(500, part.body().path("remaining").path("amount").asLong());
    Reply rest = redeem(any, second, null, null);
    assertEquals(200, rest.status(), "no amount: what is left");
    assertEquals(0, rest.body().path("remaining").path("amount").asLong());
  }

  @Test
  void aRefundRacingARedemptionLetsExactlyOneWinEveryTime() {
    // Ten orders of one code each; for each, its refund and its code's redemption sent at once.
    List<Delivered> orders = IntStream.range(0, 10).mapToObj(i -> delivered(1)).toList();
    Channel till = verifier();
    orders.forEach(d -> redeemable(till, d.codes().get(0)));
    List<CompletableFuture<Reply>> redemptions = new ArrayList<>();
    List<CompletableFuture<HttpTestClient.Response>> refunds = new ArrayList<>();
    for (Delivered d : orders) {
      redemptions.add(CompletableFuture.supplyAsync(() -> redeem(till, d.codes().get(0), null, null), TILLS));
      refunds.add(CompletableFuture.supplyAsync(() -> admin().post("/admin/v1/orders/" + d.orderId() + "/refund",
          TestNodes.ADMIN_TOKEN, "{\"reason\": \"raced\"}"), TILLS));
    }
    int refundsWon = 0;
    for (int i = 0; i < orders.size(); i++) {
      Delivered d = orders.get(i);
      Reply redeemed = redemptions.get(i).join();
      HttpTestClient.Response refunded = refunds.get(i).join();
      JsonNode order = admin().get("/admin/v1/orders/" + d.orderId(), TestNodes.ADMIN_TOKEN).json();
      long balance = admin().get("/admin/v1/channels/" + d.shop().id(), TestNodes.ADMIN_TOKEN).json().path("account")
          .path("balance").path("amount").asLong();
      if (refunded.status() == 200) {
        refundsWon++;
        assertEquals(422, redeemed.status(), "refunded first: the code is void, " + redeemed.body());
        assertTrue(redeemed.body().path("detail").asText().contains("void"), redeemed.body().toString());
        assertEquals("REFUNDED", order.path("status").asText());
        assertEquals(1_000_000, balance, "the charge came back");
        assertEquals(422, redeem(till, d.codes().get(0), null, null).status(), "void from now on");
        assertTrue(admin().post("/admin/v1/codes/trace", TestNodes.ADMIN_TOKEN, "{\"code\": \"" + d.codes().get(0)
            + "\"}").body().contains("\"VOIDED\""), "the trace says it was voided");
      } else {
        assertEquals(409, refunded.status(), refunded.body());
        assertEquals("ALREADY_REDEEMED", refunded.json().path("code").asText());
        assertEquals(200, redeemed.status(), "redeemed first: " + redeemed.body());
        assertEquals("DELIVERED", order.path("status").asText());
        assertEquals(1_000_000 - 100, balance, "still charged");
      }
    }
    log.info("redemption races: {} of {} won by the refund", refundsWon, orders.size());
  }

  @Test
  void codesThatCannotBeRedeemedSayWhyAndUnknownOnesAnswerAsSlowlyAsKnownOnes() {
    Delivered d = delivered(2);
    Channel till = verifier();
    redeemable(till, d.codes().get(1));
    assertEquals(200, redeem(till, d.codes().get(0), null, null).status());

    // Never delivered: imported, not ordered.
    String undelivered = "UNSOLD-" + UUID.randomUUID();
    assertEquals(201, admin().send("POST", "/admin/v1/skus/" + d.sku() + "/batches?supplierId=s&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", undelivered.getBytes(StandardCharsets.UTF_8)).status());
    Reply never = redeem(till, undelivered, null, null);
    assertEquals(422, never.status());
    assertTrue(never.body().path("detail").asText().contains("never delivered"), never.body().toString());
    assertEquals("NEVER_DELIVERED", check(till, undelivered).body().path("reason").asText());

    // Out of the verifier's scope: as unknown to it.
    Channel otherBrand = verifier("some-other-sku");
    assertEquals(404, redeem(otherBrand, d.codes().get(1), null, null).status());
    Channel otherSupplier = verifierOf(List.of(), List.of("someone-else"));
    assertEquals(404, redeem(otherSupplier, d.codes().get(1), null, null).status());
    assertEquals(404, check(otherSupplier, d.codes().get(1)).status(), "not even checked");

    // Frozen: the batch leaked.
    String batch = check(till, d.codes().get(1)).body().path("batchId").asText();
    String batchPath = "/admin/v1/skus/" + d.sku() + "/batches/" + batch;
    assertEquals(200, admin().post(batchPath + "/freeze", TestNodes.ADMIN_TOKEN, "").status());
    Reply leaked = redeem(till, d.codes().get(1), null, null);
    assertEquals(422, leaked.status());
    assertTrue(leaked.body().path("detail").asText().contains("frozen"), leaked.body().toString());
    assertEquals("FROZEN", check(till, d.codes().get(1)).body().path("reason").asText());
    assertEquals(200, admin().post(batchPath + "/unfreeze", TestNodes.ADMIN_TOKEN, "").status());
    assertEquals(200, redeem(till, d.codes().get(1), null, null).status(), "unfrozen, redeemable again");

    // Unknown: 404, no sooner than a known code's answer.
    Channel timer = verifier();
    List<Long> unknownMillis = new ArrayList<>();
    List<Long> knownMillis = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long started = System.nanoTime();
      assertEquals(404, redeem(timer, "NO-SUCH-" + UUID.randomUUID(), null, null).status());
      unknownMillis.add((System.nanoTime() - started) / 1_000_000);
      started = System.nanoTime();
      assertEquals(409, redeem(timer, d.codes().get(0), null, null).status());
      knownMillis.add((System.nanoTime() - started) / 1_000_000);
    }
    for (long millis : unknownMillis) {
      assertTrue(millis >= 200, "every answer waits the floor: " + unknownMillis);
    }
    for (long millis : knownMillis) {
      assertTrue(millis >= 200, "known too: " + knownMillis);
    }
  }

  @Test
  void anExpiredCodeIsNotRedeemed() throws Exception {
    Channel shop = channel(admin(), 1_000_000);
    String sku = stockedSku(admin(), shop, 1, 100);
    // Its one code ordered first: the order then gets the code that expires soon.
    assertEquals(201, signed(nodes.node(), shop, "POST", "/api/v1/orders", order("E-0", sku)).status());
    String code = "SOON-" + UUID.randomUUID();
    Instant expires = Instant.now().plusSeconds(4);
    assertEquals(201, admin().send("POST", "/admin/v1/skus/" + sku + "/batches?supplierId=s&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", (code + "," + expires).getBytes(StandardCharsets.UTF_8)).status());
    Reply placed = signed(nodes.node(), shop, "POST", "/api/v1/orders", order("E-1", sku));
    assertEquals(201, placed.status(), placed.body().toString());
    Channel till = verifier();
    Await.until("delivered and recorded", Duration.ofSeconds(30),
        () -> !"NEVER_DELIVERED".equals(check(till, code).body().path("reason").asText()));
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis() + 200));
    Reply late = redeem(till, code, null, null);
    assertEquals(422, late.status());
    assertTrue(late.body().path("detail").asText().contains("expired"), late.body().toString());
  }

  /**
   * The guard's limits are part of the risk rule set: shown with the rules (the configured defaults
   * until changed), changed by a rules update (audited in its history), in force at once, and back
   * to the defaults when an update leaves them out. A bad limit is a 400 that changes nothing.
   */
  @Test
  void theRiskRulesSetHowManyMissesAVerifierMayMake() {
    JsonNode before = admin().get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json();
    assertEquals(3, before.path("redemption").path("verifier").path("slowAfter").asInt(), before.toString());
    assertEquals(8, before.path("redemption").path("verifier").path("blockAfter").asInt());
    long version = before.path("version").asLong();
    HttpTestClient.Response bad = admin().send("PUT", "/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"expectedVersion\": " + version + ", \"rules\": [], \"redemption\": {\"verifier\": "
            + "{\"slowAfter\": 0, \"blockAfter\": 0}, \"address\": {\"slowAfter\": 1, \"blockAfter\": 2}}}")
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(400, bad.status(), bad.body());
    assertEquals(version, admin().get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("version").asLong());

    HttpTestClient.Response stricter = admin().send("PUT", "/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"expectedVersion\": " + version + ", \"rules\": [], \"redemption\": {\"verifier\": "
            + "{\"slowAfter\": 0, \"blockAfter\": 2}, \"address\": {\"slowAfter\": 10000, \"blockAfter\": 10000}}}")
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, stricter.status(), stricter.body());
    try {
      Channel guesser = verifier();
      assertEquals(404, redeem(guesser, "GUESS-A", null, null).status());
      assertEquals(404, redeem(guesser, "GUESS-B", null, null).status());
      assertEquals(429, redeem(guesser, "GUESS-C", null, null).status(), "blocked at the rule set's 2 misses, not 8");
      assertTrue(admin().get("/admin/v1/risk/rules/history", TestNodes.ADMIN_TOKEN).body().contains("redemption guard"),
          "the change is in the history");
    } finally {
      long now = stricter.json().path("version").asLong();
      HttpTestClient.Response restored = admin().send("PUT", "/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN,
          "application/json", ("{\"expectedVersion\": " + now + ", \"rules\": []}").getBytes(StandardCharsets.UTF_8));
      assertEquals(200, restored.status(), restored.body());
      assertEquals(8, restored.json().path("redemption").path("verifier").path("blockAfter").asInt(), "the defaults");
    }
  }

  @Test
  void aGuessingVerifierIsSlowedThenBlockedAndOthersAreNot() throws Exception {
    Delivered d = delivered(1);
    Channel guesser = verifier();
    Channel honest = verifier();
    redeemable(honest, d.codes().get(0));
    List<Long> millis = new ArrayList<>();
    int status = 0;
    int tries = 0;
    while (status != 429 && tries < 20) {
      long started = System.nanoTime();
      Reply reply = redeem(guesser, "GUESS-" + tries, null, null);
      millis.add((System.nanoTime() - started) / 1_000_000);
      status = reply.status();
      tries++;
    }
    assertEquals(429, status, "blocked after 8 misses: " + millis);
    assertEquals(9, tries, "8 misses let through, the 9th refused");
    assertTrue(millis.get(7) >= 200 + 4 * 100, "the 8th answer held back for the 4 misses past 3: " + millis);
    HttpResponse<String> blocked = HttpClient.newHttpClient().send(Partners.request(nodes.node().httpPort(), guesser,
        "POST", "/api/v1/redemptions", ("{\"code\": \"" + d.codes().get(0) + "\"}").getBytes(StandardCharsets.UTF_8)),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(429, blocked.statusCode(), "a blocked verifier redeems nothing, not even a real code");
    assertTrue(Long.parseLong(blocked.headers().firstValue("Retry-After").orElse("0")) > 60, "retry after the block");
    assertEquals(200, redeem(honest, d.codes().get(0), null, null).status(), "another verifier is not held back");
  }

  @Test
  void badInputIsATypedErrorAndChangesNothing() {
    Delivered d = delivered(1);
    Channel till = verifier();
    String code = d.codes().get(0);
    redeemable(till, code);
    for (String body : List.of("{}", "{\"code\": \"\"}", "{\"code\": 42}", "{\"code\": \"" + "x".repeat(257) + "\"}",
        "{\"code\": \"" + code + "\", \"amount\": {\"amount\": 0, \"currency\": \"CNY\"}}",
        "{\"code\": \"" + code + "\", \"amount\": {\"amount\": -5, \"currency\": \"CNY\"}}",
        "{\"code\": \"" + code + "\", \"amount\": {\"amount\": 1.5, \"currency\": \"CNY\"}}",
        "{\"code\": \"" + code + "\", \"place\": \"a\\u0007b\"}", "not json")) {
      Reply reply = signed(nodes.node(), till, "POST", "/api/v1/redemptions", body);
      assertEquals(400, reply.status(), body + " -> " + reply.body());
      assertEquals("INVALID_REQUEST", reply.body().path("code").asText());
    }
    Channel shopAsTill = d.shop();
    assertEquals(401, redeem(shopAsTill, code, null, null).status(), "a channel's key redeems nothing");
    HttpTestClient plain = new HttpTestClient(nodes.node().httpPort());
    assertEquals(401, plain.post("/api/v1/redemptions", null, "{\"code\": \"" + code + "\"}").status(), "unsigned");
    for (String body : List.of("{\"name\": \"x\"}", "{\"verifierId\": \"bad id\", \"name\": \"x\"}",
        "{\"verifierId\": \"ok-1\", \"name\": \"\"}", "{\"verifierId\": \"ok-2\", \"name\": \"x\", \"skuIds\": [\"no way\"]}",
        "{\"verifierId\": \"ok-3\", \"name\": \"x\", \"supplierIds\": [\"no way\"]}",
        "{\"verifierId\": \"ok-4\", \"name\": \"x\", \"supplierIds\": \"s\"}")) {
      HttpTestClient.Response refused = admin().post("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN, body);
      assertEquals(400, refused.status(), body + " -> " + refused.body());
    }
    assertEquals(400, admin().get("/admin/v1/reports/redemptions?" + today() + "&batchId=b1", TestNodes.ADMIN_TOKEN)
        .status(), "a batch without its SKU");
    assertEquals(409, admin().post("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN, "{\"verifierId\": \"" + till.id()
        + "\", \"name\": \"again\"}").status());
    assertTrue(check(till, code).body().path("redeemable").asBoolean(), "still redeemable: nothing changed");
    String listed = admin().get("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN).body();
    assertTrue(listed.contains(till.id()) && !listed.contains(till.secret()), "listed, never with its secret");
  }

  /** from, from + step, …, to. */
  private static final class LongRange {
    static List<Long> of(long from, long to, long step) {
      List<Long> values = new ArrayList<>();
      for (long v = from; v <= to; v += step) {
        values.add(v);
      }
      return values;
    }
  }
}
