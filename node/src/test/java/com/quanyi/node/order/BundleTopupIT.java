package com.quanyi.node.order;

import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stock;
import static com.quanyi.node.testkit.TopupFixture.topup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.node.supplier.sim.SimulatedBehavior;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.Books;
import com.quanyi.node.testkit.CallbackReceiver;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.node.testkit.TopupFixture;
import com.quanyi.node.testkit.TopupFixture.Market;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A benefit bundle of card codes and a direct top-up, through real simulated suppliers: the codes
 * are in the first answer (201 PROCESSING), the bundle is DELIVERED once its top-up is; when every
 * supplier fails, the top-up part's share is refunded once and the codes stay delivered
 * (PARTLY_DELIVERED), or, by the bundle's policy, the whole bundle is refunded once and its codes are void. Ordered without a
 * recharge account, or with one its top-up part does not take, it is refused and nothing is held.
 */
class BundleTopupIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one(TopupOrderIT.FAST);

  @RegisterExtension
  final TopupFixture topups = new TopupFixture(nodes::admin);

  private static final long BUNDLE_PRICE = 6_000;
  private static final ExecutorService SENDERS = Executors.newFixedThreadPool(10);

  @AfterAll
  static void stopSenders() {
    SENDERS.shutdownNow();
  }

  private static HttpTestClient admin() {
    return nodes.admin();
  }

  /** A card-code SKU of {@code codes} codes costing 7 each. */
  private static String cards(int codes) {
    String skuId = "cinema-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Cinema ticket", "kind": "CARD_CODE", "faceValue": {"amount": 1000, "currency": "CNY"},
         "listPrice": {"amount": 900, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(skuId)).status());
    assertEquals(201, admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=7",
        TestNodes.ADMIN_TOKEN, "text/csv", String.join("\n", IntStream.range(0, codes)
            .mapToObj(i -> "CT-" + UUID.randomUUID()).toList()).getBytes(StandardCharsets.UTF_8)).status());
    return skuId;
  }

  /**
   * Two tickets (face value 1000 each) and the market's mobile top-up (5000), sold to the market's
   * channel; {@code onFailure}: the top-up part's policy, or null for the default (REFUND_PART).
   */
  private static String bundle(Market market, String tickets, String onFailure) {
    String skuId = "pack-" + UUID.randomUUID().toString().substring(0, 8);
    String policy = onFailure == null ? "" : ", \"onFailure\": \"" + onFailure + "\"";
    HttpTestClient.Response registered = admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Movie night", "kind": "BUNDLE", "faceValue": {"amount": 7000, "currency": "CNY"},
         "listPrice": {"amount": 6500, "currency": "CNY"}, "riskLevel": "LOW",
         "parts": [{"skuId": "%s", "quantity": 2}, {"skuId": "%s", "quantity": 1%s}]}"""
        .formatted(skuId, tickets, market.skuId(), policy));
    assertEquals(201, registered.status(), registered.body());
    JsonNode topupPart = registered.json().path("parts").get(1);
    assertEquals("DIRECT_TOPUP", topupPart.path("kind").asText());
    assertEquals(onFailure == null ? "REFUND_PART" : onFailure, topupPart.path("onFailure").asText());
    assertEquals(5000, topupPart.path("faceValue").path("amount").asLong());
    assertEquals(200, admin().send("PUT", "/admin/v1/channels/" + market.channel().id() + "/prices/" + skuId,
        TestNodes.ADMIN_TOKEN, "application/json", ("{\"price\": {\"amount\": " + BUNDLE_PRICE
            + ", \"currency\": \"CNY\"}}").getBytes()).status());
    return skuId;
  }

  private static long balance(Channel c) {
    return Partners.account(admin(), c).path("balance").path("amount").asLong();
  }

  private static List<String> ticketCodes(JsonNode order) {
    List<String> codes = new ArrayList<>();
    order.path("parts").get(0).path("codes").forEach(c -> codes.add(c.path("code").asText()));
    return codes;
  }

  @Test
  void theCodesComeAtOnceAndTheBundleIsDeliveredWithItsTopup() {
    Market market = topups.market(100_000, 2000);
    String tickets = cards(10);
    String pack = bundle(market, tickets, null);
    Channel c = market.channel();

    // The same order sent ten times at once: one placement, one charge, one top-up.
    List<Reply> sent = sentAtOnce(c, topup("MB-1", pack, "13800138000"));
    List<Reply> created = sent.stream().filter(r -> r.status() == 201).toList();
    assertEquals(1, created.size(), "one 201: " + sent.stream().map(Reply::status).toList());
    Reply placed = created.get(0);
    for (Reply repeat : sent) {
      assertTrue(repeat.status() == 201 || repeat.status() == 200, repeat.status() + " " + repeat.body());
      assertEquals(ticketCodes(placed.body()), ticketCodes(repeat.body()), "every answer the same tickets");
    }
    assertEquals("PROCESSING", placed.body().path("status").asText());
    assertEquals(2, ticketCodes(placed.body()).size(), "the tickets are in the first answer");
    assertEquals("DELIVERED", placed.body().path("parts").get(0).path("status").asText());
    assertEquals("PROCESSING", placed.body().path("parts").get(1).path("status").asText());
    assertEquals(100_000 - BUNDLE_PRICE, balance(c), "charged once, at acceptance");

    JsonNode done = TopupOrderIT.finalOrder(nodes.node(), c, "MB-1");
    assertEquals("DELIVERED", done.path("status").asText(), done.toString());
    assertEquals(ticketCodes(placed.body()), ticketCodes(done), "the same codes");
    assertEquals(1, market.supplier(0).toppedUp().size());
    assertEquals("13800138000", market.supplier(0).toppedUp().get(0).account());
    assertEquals(5000, market.supplier(0).toppedUp().get(0).amount(), "the top-up part's face value");
    assertEquals(2, stock(admin(), tickets).path("allocated").asLong());
    assertEquals(100_000 - BUNDLE_PRICE, balance(c));

    // The books: the bundle's cost is its tickets' (2 x 7) and the supplier's (4800).
    Await.until("the sales ledger has the bundle", Duration.ofSeconds(30),
        () -> Books.salesUnits(admin(), c, pack) == 1 && Books.salesUnits(admin(), c, tickets) == 2);
    assertEquals(2 * 7 + TopupFixture.UNIT_COST, Books.salesLine(admin(), c, pack).path("cost").asLong());
    Await.until("the ledger check agrees", Duration.ofSeconds(30), () -> Books.ledgerClean(admin(), c, pack)
        && Books.ledgerClean(admin(), c, tickets));
  }

  @Test
  void aFailedTopupRefundsTheWholeBundleOnceAndVoidsItsCodes() {
    Market market = topups.market(100_000, 2000);
    market.supplier(0).behave(SimulatedBehavior.healthy().withOutOfStock(true));
    String tickets = cards(10);
    String pack = bundle(market, tickets, "REFUND_BUNDLE");
    Channel c = market.channel();
    Channel till = verifier();

    Reply placed = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("MF-1", pack, "13700000000"));
    assertEquals(201, placed.status(), placed.body().toString());
    JsonNode failed = TopupOrderIT.finalOrder(nodes.node(), c, "MF-1");
    assertEquals("FAILED", failed.path("status").asText(), failed.toString());
    assertEquals(100_000, balance(c), "the whole bundle refunded");
    assertEquals(BUNDLE_PRICE, Partners.account(admin(), c).path("refunded").path("amount").asLong(), "once");
    String code = ticketCodes(placed.body()).get(0);
    Await.until("the ticket is known to redemption", Duration.ofSeconds(30), () -> signed(nodes.node(), till, "POST",
        "/api/v1/redemptions/check", "{\"code\": \"" + code + "\"}").body().path("reason").asText().equals("VOIDED"));
    Reply redeemed = signed(nodes.node(), till, "POST", "/api/v1/redemptions", "{\"code\": \"" + code + "\"}");
    assertEquals(422, redeemed.status(), redeemed.body().toString());
    assertTrue(redeemed.body().path("detail").asText().contains("void"), redeemed.body().toString());
    Await.until("the ledger check agrees", Duration.ofSeconds(30), () -> Books.ledgerClean(admin(), c, pack)
        && Books.ledgerClean(admin(), c, tickets));
  }

  /**
   * By the default policy a failed top-up part refunds its share only: 6000 × 5000 / (2 × 1000 +
   * 5000) = 4285 (rounded down). The order, sent ten times at once while its suppliers fail, is
   * charged once and refunded that share once; its tickets stay delivered and redeem; an operator's
   * refund afterwards gives back the rest (1715) and voids the codes, or is refused once a ticket
   * was redeemed; an undecided top-up an operator resolves as failed refunds the share as well.
   */
  @Test
  void aFailedTopupPartRefundsItsShareOnceAndTheTicketsStayDelivered() throws Exception {
    Market market = topups.market(100_000, 2000);
    market.supplier(0).behave(SimulatedBehavior.healthy().withOutOfStock(true));
    String tickets = cards(10);
    String pack = bundle(market, tickets, null);
    Channel c = market.channel();
    Channel till = verifier();
    long share = BUNDLE_PRICE * 5000 / 7000;
    CallbackReceiver hooks = new CallbackReceiver();
    String withCallback = """
        {"clientOrderNo": "MP-1", "skuId": "%s", "quantity": 1, "buyer": {"userId": "u-1", "ip": "203.0.113.5"},
         "rechargeAccount": "13700000001", "callbackUrl": "%s"}""".formatted(pack, hooks.uri("/hooks"));

    List<Reply> sent = sentAtOnce(c, withCallback);
    assertEquals(1, sent.stream().filter(r -> r.status() == 201).count(), sent.stream().map(Reply::status).toList()
        .toString());
    JsonNode partly = TopupOrderIT.finalOrder(nodes.node(), c, "MP-1");
    assertEquals("PARTLY_DELIVERED", partly.path("status").asText(), partly.toString());
    assertEquals(share, partly.path("refunded").path("amount").asLong(), partly.toString());
    assertEquals("DELIVERED", partly.path("parts").get(0).path("status").asText());
    assertEquals("FAILED", partly.path("parts").get(1).path("status").asText());
    assertEquals(ticketCodes(sent.get(0).body()), ticketCodes(partly), "the tickets stay the channel's");
    try (hooks) {
      Await.until("the PARTLY_DELIVERED callback", Duration.ofSeconds(30), () -> hooks.acknowledged().stream()
          .anyMatch(h -> h.body().contains("PARTLY_DELIVERED")));
      JsonNode called = new ObjectMapper().readTree(hooks.acknowledged().stream()
          .filter(h -> h.body().contains("PARTLY_DELIVERED")).findFirst().orElseThrow().body());
      assertEquals(share, called.path("refunded").path("amount").asLong(), called.toString());
    }
    for (int i = 0; i < 3; i++) {
      Reply repeat = signed(nodes.node(), c, "POST", "/api/v1/orders", withCallback);
      assertEquals(200, repeat.status(), repeat.body().toString());
      assertEquals("PARTLY_DELIVERED", repeat.body().path("status").asText());
    }
    assertEquals(100_000 - BUNDLE_PRICE + share, balance(c), "charged once, the share refunded once");
    assertEquals(share, Partners.account(admin(), c).path("refunded").path("amount").asLong());

    String code = ticketCodes(partly).get(0);
    Await.until("the ticket is known to redemption", Duration.ofSeconds(30), () -> signed(nodes.node(), till, "POST",
        "/api/v1/redemptions/check", "{\"code\": \"" + code + "\"}").body().path("redeemable").asBoolean());
    Reply redeemed = signed(nodes.node(), till, "POST", "/api/v1/redemptions", "{\"code\": \"" + code + "\"}");
    assertEquals(200, redeemed.status(), redeemed.body().toString());
    HttpTestClient.Response refusedRefund = admin().post("/admin/v1/orders/" + c.id() + "~MP-1/refund",
        TestNodes.ADMIN_TOKEN, "{\"reason\": \"complaint\"}");
    assertEquals(409, refusedRefund.status(), "a ticket was redeemed: " + refusedRefund.body());

    // A second one, refunded by an operator: only what is still charged comes back, once.
    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("MP-2", pack, "13700000002")).status());
    assertEquals("PARTLY_DELIVERED", TopupOrderIT.finalOrder(nodes.node(), c, "MP-2").path("status").asText());
    List<HttpTestClient.Response> refunds = IntStream.range(0, 5).mapToObj(i -> CompletableFuture.supplyAsync(() ->
        admin().post("/admin/v1/orders/" + c.id() + "~MP-2/refund", TestNodes.ADMIN_TOKEN,
            "{\"reason\": \"complaint\"}"), SENDERS)).toList().stream().map(CompletableFuture::join).toList();
    refunds.forEach(r -> assertEquals(200, r.status(), r.body()));
    assertEquals("REFUNDED", refunds.get(0).json().path("status").asText());
    assertEquals(100_000 - BUNDLE_PRICE + share, balance(c), "MP-2 cost the channel nothing in the end");
    assertEquals(share + BUNDLE_PRICE, Partners.account(admin(), c).path("refunded").path("amount").asLong());
    String voided = ticketCodes(signed(nodes.node(), c, "GET", "/api/v1/orders/MP-2", "").body()).get(0);
    Await.until("the refunded bundle's ticket is void", Duration.ofSeconds(30), () -> signed(nodes.node(), till,
        "POST", "/api/v1/redemptions/check", "{\"code\": \"" + voided + "\"}").body().path("reason").asText()
        .equals("VOIDED"));

    // The books: two bundles delivered (without their top-ups), their tickets' cost, the refunds.
    Await.until("the sales ledger has both bundles and the refunds", Duration.ofSeconds(30),
        () -> Books.salesLine(admin(), c, pack).path("refunds").asLong() == 2 * share + (BUNDLE_PRICE - share));
    JsonNode line = Books.salesLine(admin(), c, pack);
    assertEquals(2, line.path("orders").asLong(), line.toString());
    assertEquals(2, line.path("units").asLong(), line.toString());
    assertEquals(2 * BUNDLE_PRICE, line.path("revenue").asLong(), line.toString());
    assertEquals(4 * 7, line.path("cost").asLong(), "the tickets' cost, no supplier's: " + line);
    assertEquals(1, line.path("refundedOrders").asLong(), line.toString());
    Await.until("the ledger check agrees", Duration.ofSeconds(30), () -> Books.ledgerClean(admin(), c, pack)
        && Books.ledgerClean(admin(), c, tickets));
  }

  @Test
  void anUndecidedTopupPartResolvedAsFailedRefundsItsShare() {
    Market market = topups.market(100_000, 2000);
    market.supplier(0).behave(SimulatedBehavior.healthy().withLate(1, Duration.ofHours(1)));
    String tickets = cards(10);
    String pack = bundle(market, tickets, null);
    Channel c = market.channel();
    long share = BUNDLE_PRICE * 5000 / 7000;

    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("MU-1", pack, "13700000003")).status());
    String orderId = c.id() + "~MU-1";
    Await.until("the bundle waits for an operator", Duration.ofSeconds(40),
        () -> admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).body().contains(orderId));
    HttpTestClient.Response resolved = admin().post("/admin/v1/orders/" + orderId + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"FAILED\"}");
    assertEquals(200, resolved.status(), resolved.body());
    assertEquals("PARTLY_DELIVERED", resolved.json().path("status").asText(), resolved.body());
    assertEquals(share, resolved.json().path("refunded").path("amount").asLong());
    assertEquals(100_000 - BUNDLE_PRICE + share, balance(c));
    assertEquals(400, admin().post("/admin/v1/orders/" + orderId + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"FAILED\"}").status(), "resolved once");
    assertEquals(100_000 - BUNDLE_PRICE + share, balance(c));
    JsonNode timeline = admin().get("/admin/v1/orders/" + orderId + "/timeline", TestNodes.ADMIN_TOKEN).json();
    assertTrue(timeline.toString().contains("TOPUP_PART_REFUNDED"), timeline.toString());
  }

  /** Held by risk control: charged, no ticket kept, no supplier asked; approved, the tickets and the top-up follow. */
  @Test
  void aBundleHeldByRiskControlIsAllocatedAndToppedUpOnlyWhenApproved() throws Exception {
    Market market = topups.market(100_000, 2000);
    String tickets = cards(10);
    String pack = bundle(market, tickets, null);
    Channel c = market.channel();
    try {
      RiskRules.replace(admin(), RiskRules.rule("hold-all", c.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW",
          "MANUAL_CHECK"));
      Reply held = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("MH-1", pack, "13700000004"));
      assertEquals(201, held.status(), held.body().toString());
      assertEquals("REVIEW", held.body().path("status").asText());
      assertEquals(100_000 - BUNDLE_PRICE, balance(c));
      Await.until("no ticket kept while held", Duration.ofSeconds(20),
          () -> stock(admin(), tickets).path("allocated").asLong() == 0);
      Thread.sleep(1000);
      assertTrue(market.supplier(0).ledger().isEmpty(), "no supplier asked while held");

      HttpTestClient.Response approved = admin().post("/admin/v1/orders/" + c.id() + "~MH-1/approve",
          TestNodes.ADMIN_TOKEN, "{}");
      assertEquals(200, approved.status(), approved.body());
      JsonNode done = TopupOrderIT.finalOrder(nodes.node(), c, "MH-1");
      assertEquals("DELIVERED", done.path("status").asText(), done.toString());
      assertEquals(2, ticketCodes(done).size(), done.toString());
      assertEquals(2, stock(admin(), tickets).path("allocated").asLong());
      assertEquals(1, market.supplier(0).toppedUp().size());
      assertEquals(100_000 - BUNDLE_PRICE, balance(c), "charged once");
    } finally {
      RiskRules.clear(admin());
    }
  }

  /**
   * Two top-up parts (5000 each) beside the tickets (2 × 1000) are topped up one after the other,
   * each under its own supplier order number. Both delivered → DELIVERED. The first one's suppliers
   * out of stock → its share (6000 × 5000 / 12000 = 2500) refunded once, the second still topped up,
   * PARTLY_DELIVERED; the order sent ten times at once places, charges and tops up once.
   */
  @Test
  void aBundleOfTwoTopupsTopsThemUpInTurnAndRefundsTheShareOfOneThatFails() {
    Market phone = topups.market(100_000, 2000);
    Channel c = phone.channel();
    Market video = topups.market(c, 2000);
    String tickets = cards(10);
    String pack = phoneAndVideo(c, tickets, phone, video);
    long share = BUNDLE_PRICE * 5000 / 12000;

    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("MT-1", pack, "13700000005")).status());
    JsonNode both = TopupOrderIT.finalOrder(nodes.node(), c, "MT-1");
    assertEquals("DELIVERED", both.path("status").asText(), both.toString());
    assertEquals(List.of("DELIVERED", "DELIVERED", "DELIVERED"), statuses(both));
    assertEquals(1, phone.supplier(0).toppedUp().size());
    assertEquals(1, video.supplier(0).toppedUp().size());
    assertTrue(!phone.supplier(0).toppedUp().get(0).supplierOrderId().equals(
        video.supplier(0).toppedUp().get(0).supplierOrderId()), "each part under its own number");
    assertEquals(100_000 - BUNDLE_PRICE, balance(c));

    phone.supplier(0).behave(SimulatedBehavior.healthy().withOutOfStock(true));
    List<Reply> sent = sentAtOnce(c, topup("MT-2", pack, "13700000006"));
    assertEquals(1, sent.stream().filter(r -> r.status() == 201).count(), sent.stream().map(Reply::status).toList()
        .toString());
    JsonNode partly = TopupOrderIT.finalOrder(nodes.node(), c, "MT-2");
    assertEquals("PARTLY_DELIVERED", partly.path("status").asText(), partly.toString());
    assertEquals(List.of("DELIVERED", "FAILED", "DELIVERED"), statuses(partly));
    assertEquals(share, partly.path("refunded").path("amount").asLong());
    assertEquals(1, phone.supplier(0).toppedUp().size(), "the phone part was not topped up");
    assertEquals(2, video.supplier(0).toppedUp().size(), "the video part was, after the phone part failed");
    assertEquals(100_000 - 2 * BUNDLE_PRICE + share, balance(c), "charged once each, one share back once");

    Await.until("the books have both bundles", Duration.ofSeconds(30),
        () -> Books.salesUnits(admin(), c, pack) == 2 && Books.salesLine(admin(), c, pack).path("refunds").asLong() == share);
    assertEquals(4 * 7 + 3 * TopupFixture.UNIT_COST, Books.salesLine(admin(), c, pack).path("cost").asLong(),
        "the tickets and three top-ups");
    Await.until("the ledger check agrees", Duration.ofSeconds(30), () -> Books.ledgerClean(admin(), c, tickets));
  }

  /** The first top-up part undecided: an operator settles it topped up, and the driver goes on with the second. */
  @Test
  void anUndecidedFirstTopupPartSettledByAnOperatorIsFollowedByTheNext() {
    Market phone = topups.market(100_000, 2000);
    Channel c = phone.channel();
    Market video = topups.market(c, 2000);
    phone.supplier(0).behave(SimulatedBehavior.healthy().withLate(1, Duration.ofHours(1)));
    String tickets = cards(10);
    String pack = phoneAndVideo(c, tickets, phone, video);

    assertEquals(201, signed(nodes.node(), c, "POST", "/api/v1/orders", topup("MU-2", pack, "13700000007")).status());
    String orderId = c.id() + "~MU-2";
    Await.until("the phone part waits for an operator", Duration.ofSeconds(40),
        () -> admin().get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).body().contains(orderId));
    assertEquals(0, video.supplier(0).requests(), "the video part waits its turn");
    HttpTestClient.Response resolved = admin().post("/admin/v1/orders/" + orderId + "/resolve", TestNodes.ADMIN_TOKEN,
        "{\"status\": \"DELIVERED\"}");
    assertEquals(200, resolved.status(), resolved.body());
    JsonNode done = TopupOrderIT.finalOrder(nodes.node(), c, "MU-2");
    assertEquals("DELIVERED", done.path("status").asText(), done.toString());
    assertEquals(List.of("DELIVERED", "DELIVERED", "DELIVERED"), statuses(done));
    assertEquals(1, video.supplier(0).toppedUp().size(), "the video part topped up after the settlement");
    assertEquals(100_000 - BUNDLE_PRICE, balance(c));
  }

  /** Two tickets, the phone market's top-up and the video market's (5000 each), sold to {@code c}. */
  private static String phoneAndVideo(Channel c, String tickets, Market phone, Market video) {
    String pack = "pack2-" + UUID.randomUUID().toString().substring(0, 8);
    HttpTestClient.Response registered = admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Phone and video", "kind": "BUNDLE", "faceValue": {"amount": 12000, "currency": "CNY"},
         "listPrice": {"amount": 9000, "currency": "CNY"}, "riskLevel": "LOW",
         "parts": [{"skuId": "%s", "quantity": 2}, {"skuId": "%s", "quantity": 1}, {"skuId": "%s", "quantity": 1}]}"""
        .formatted(pack, tickets, phone.skuId(), video.skuId()));
    assertEquals(201, registered.status(), registered.body());
    assertEquals(200, admin().send("PUT", "/admin/v1/channels/" + c.id() + "/prices/" + pack, TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"price\": {\"amount\": " + BUNDLE_PRICE + ", \"currency\": \"CNY\"}}").getBytes())
        .status());
    return pack;
  }

  /** The same order body sent ten times at once, each answer in the order sent. */
  private static List<Reply> sentAtOnce(Channel c, String body) {
    return IntStream.range(0, 10).mapToObj(i -> CompletableFuture.supplyAsync(() -> signed(nodes.node(), c,
        "POST", "/api/v1/orders", body), SENDERS)).toList().stream().map(CompletableFuture::join).toList();
  }

  private static List<String> statuses(JsonNode order) {
    List<String> statuses = new ArrayList<>();
    order.path("parts").forEach(part -> statuses.add(part.path("status").asText()));
    return statuses;
  }

  @Test
  void withoutOrWithAWrongRechargeAccountTheBundleIsRefusedAndHoldsNothing() {
    Market market = topups.market(100_000, 2000);
    String tickets = cards(10);
    String pack = bundle(market, tickets, null);
    Channel c = market.channel();

    Reply noAccount = signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order("MN-1", pack));
    assertEquals(400, noAccount.status(), noAccount.body().toString());
    assertTrue(noAccount.body().path("detail").asText().contains("rechargeAccount"), noAccount.body().toString());
    Reply wrongAccount = signed(nodes.node(), c, "POST", "/api/v1/orders", topup("MN-2", pack, "not-a-phone"));
    assertEquals(400, wrongAccount.status(), wrongAccount.body().toString());
    assertEquals(0, stock(admin(), tickets).path("allocated").asLong(), "no ticket held");
    assertEquals(10, stock(admin(), tickets).path("available").asLong());
    assertEquals(100_000, balance(c));
    assertTrue(market.supplier(0).ledger().isEmpty(), "nothing reached the supplier");

    String twoTopups = "bad-" + UUID.randomUUID().toString().substring(0, 8);
    Market other = topups.market(c, 2000);
    HttpTestClient.Response refused = admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Two top-ups", "kind": "BUNDLE", "faceValue": {"amount": 7000, "currency": "CNY"},
         "listPrice": {"amount": 6500, "currency": "CNY"}, "riskLevel": "LOW",
         "parts": [{"skuId": "%s", "quantity": 1}, {"skuId": "%s", "quantity": 1, "onFailure": "REFUND_BUNDLE"},
                   {"skuId": "%s", "quantity": 1}]}"""
        .formatted(twoTopups, tickets, market.skuId(), other.skuId()));
    assertEquals(400, refused.status(), "a later top-up cannot undo an earlier one: " + refused.body());
    HttpTestClient.Response twice = admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Two top-ups", "kind": "BUNDLE", "faceValue": {"amount": 7000, "currency": "CNY"},
         "listPrice": {"amount": 6500, "currency": "CNY"}, "riskLevel": "LOW",
         "parts": [{"skuId": "%s", "quantity": 1}, {"skuId": "%s", "quantity": 2}]}"""
        .formatted(twoTopups, tickets, market.skuId()));
    assertEquals(400, twice.status(), "a top-up part is topped up once per bundle: " + twice.body());
    HttpTestClient.Response policyOnCards = admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Policy on a card part", "kind": "BUNDLE", "faceValue": {"amount": 7000, "currency": "CNY"},
         "listPrice": {"amount": 6500, "currency": "CNY"}, "riskLevel": "LOW",
         "parts": [{"skuId": "%s", "quantity": 1, "onFailure": "REFUND_PART"}, {"skuId": "%s", "quantity": 1}]}"""
        .formatted(twoTopups, tickets, market.skuId()));
    assertEquals(400, policyOnCards.status(), "only a top-up part fails: " + policyOnCards.body());
    HttpTestClient.Response unknownPolicy = admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Unknown policy", "kind": "BUNDLE", "faceValue": {"amount": 7000, "currency": "CNY"},
         "listPrice": {"amount": 6500, "currency": "CNY"}, "riskLevel": "LOW",
         "parts": [{"skuId": "%s", "quantity": 1}, {"skuId": "%s", "quantity": 1, "onFailure": "REFUND_HALF"}]}"""
        .formatted(twoTopups, tickets, market.skuId()));
    assertEquals(400, unknownPolicy.status(), unknownPolicy.body());
    assertEquals("INVALID_REQUEST", unknownPolicy.json().path("code").asText(), unknownPolicy.body());
    assertEquals(404, admin().get("/admin/v1/skus/" + twoTopups, TestNodes.ADMIN_TOKEN).status());
  }

  private static Channel verifier() {
    String id = "v-" + UUID.randomUUID().toString().substring(0, 8);
    HttpTestClient.Response created = admin().post("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN,
        "{\"verifierId\": \"" + id + "\", \"name\": \"Cinema till\"}");
    assertEquals(201, created.status(), created.body());
    return new Channel(id, created.json().path("apiKey").asText(), created.json().path("apiSecret").asText());
  }
}
