package com.quanyi.node.order;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.Await;
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
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import com.quanyi.node.testkit.Books;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Benefit bundles (权益包) against a real node: 500 bundle orders at once, racing orders of one of
 * the parts, against parts with different stock: no part oversold, no bundle half-delivered, no
 * code delivered twice, nothing left held by a refused order, the money exact; a bundle's codes
 * redeemed and voided part by part; its cost the sum of its parts'; bad definitions refused.
 */
class BundleIT {

  private static final Logger log = LoggerFactory.getLogger(BundleIT.class);

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  private static final ExecutorService BUYERS = Executors.newFixedThreadPool(64);

  @AfterAll
  static void stopBuyers() {
    BUYERS.shutdownNow();
  }

  private static HttpTestClient admin() {
    return nodes.admin();
  }

  /** A card-code SKU with {@code codes} codes that cost {@code unitCost} each, in the channel's catalog. */
  private static String part(Channel shop, int codes, long unitCost) {
    String skuId = "part-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Part", "kind": "CARD_CODE", "faceValue": {"amount": 1000, "currency": "CNY"},
         "listPrice": {"amount": 900, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(skuId)).status());
    HttpTestClient.Response imported = admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost="
        + unitCost, TestNodes.ADMIN_TOKEN, "text/csv", String.join("\n", IntStream.range(0, codes)
            .mapToObj(i -> "PC-" + UUID.randomUUID()).toList()).getBytes(StandardCharsets.UTF_8));
    assertEquals(201, imported.status(), imported.body());
    price(shop, skuId, 100);
    return skuId;
  }

  private static void price(Channel shop, String skuId, long price) {
    HttpTestClient.Response priced = admin().send("PUT", "/admin/v1/channels/" + shop.id() + "/prices/" + skuId,
        TestNodes.ADMIN_TOKEN, "application/json", ("{\"price\": {\"amount\": " + price
            + ", \"currency\": \"CNY\"}}").getBytes());
    assertEquals(200, priced.status(), priced.body());
  }

  private static HttpTestClient.Response registerBundle(String skuId, String parts, String extra) {
    return admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Holiday pack", "kind": "BUNDLE", "faceValue": {"amount": 5000, "currency": "CNY"},
         "listPrice": {"amount": 4500, "currency": "CNY"}, "riskLevel": "LOW", "parts": %s%s}"""
        .formatted(skuId, parts, extra));
  }

  private static String bundle(Channel shop, long price, String... partsAndQuantities) {
    StringBuilder parts = new StringBuilder("[");
    for (int i = 0; i < partsAndQuantities.length; i += 2) {
      parts.append(i == 0 ? "" : ", ").append("{\"skuId\": \"").append(partsAndQuantities[i])
          .append("\", \"quantity\": ").append(partsAndQuantities[i + 1]).append('}');
    }
    String skuId = "bundle-" + UUID.randomUUID().toString().substring(0, 8);
    HttpTestClient.Response registered = registerBundle(skuId, parts.append(']').toString(), "");
    assertEquals(201, registered.status(), registered.body());
    price(shop, skuId, price);
    return skuId;
  }

  private static Reply order(Channel shop, String no, String skuId) {
    return signed(nodes.node(), shop, "POST", "/api/v1/orders", "{\"clientOrderNo\": \"" + no + "\", \"skuId\": \""
        + skuId + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u-" + no + "\", \"ip\": \"198.51.100.4\"}}");
  }

  /** The plaintext codes of a delivered bundle order, by part SKU. */
  private static Map<String, List<String>> codesByPart(JsonNode order) {
    Map<String, List<String>> codes = new HashMap<>();
    order.path("parts").forEach(part -> part.path("codes").forEach(code -> codes
        .computeIfAbsent(part.path("skuId").asText(), id -> new ArrayList<>()).add(code.path("code").asText())));
    return codes;
  }

  private static long balance(Channel shop) {
    return Partners.account(admin(), shop).path("balance").path("amount").asLong();
  }

  @Test
  void fiveHundredBundleOrdersAtOnceNeverOversellAPartNorHalfDeliverABundle() {
    Channel shop = channel(admin(), 10_000_000);
    // One bundle: 1 × a, 2 × b, 1 × c. b makes 45 bundles, c 60, a 200 (shared with orders of a alone).
    String a = part(shop, 200, 3);
    String b = part(shop, 90, 5);
    String c = part(shop, 60, 7);
    String pack = bundle(shop, 2_000, a, "1", b, "2", c, "1");
    assertEquals(45, stock(admin(), pack).path("available").asLong(), "the fewest whole bundles the parts make");
    assertTrue(products(shop).get(pack).path("available").asBoolean());

    List<CompletableFuture<Reply>> bundles = IntStream.range(0, 500).mapToObj(i -> CompletableFuture.supplyAsync(
        () -> order(shop, "B-" + i, pack), BUYERS)).toList();
    List<CompletableFuture<Reply>> alone = IntStream.range(0, 100).mapToObj(i -> CompletableFuture.supplyAsync(
        () -> order(shop, "A-" + i, a), BUYERS)).toList();
    List<Reply> bundleReplies = bundles.stream().map(CompletableFuture::join).toList();
    List<Reply> aloneReplies = alone.stream().map(CompletableFuture::join).toList();

    List<JsonNode> delivered = new ArrayList<>();
    for (Reply reply : bundleReplies) {
      assertTrue(reply != null && (reply.status() == 201 || reply.status() == 422), "answered 201 or 422: "
          + (reply == null ? "none" : reply.status() + " " + reply.body()));
      if (reply.status() == 422) {
        assertEquals("OUT_OF_STOCK", reply.body().path("code").asText(), reply.body().toString());
        continue;
      }
      delivered.add(reply.body());
    }
    long aloneDelivered = aloneReplies.stream().filter(r -> r != null && r.status() == 201).count();
    assertTrue(aloneReplies.stream().allMatch(r -> r != null && (r.status() == 201 || r.status() == 422)));
    assertFalse(delivered.isEmpty(), "some bundles sold");
    assertTrue(delivered.size() <= 45, "never more bundles than b makes: " + delivered.size());

    // Drain what is left one order at a time: the storm must have left nothing held by a refused order.
    int drained = 0;
    while (true) {
      Reply more = order(shop, "D-" + drained, pack);
      if (more.status() == 422) {
        assertEquals("OUT_OF_STOCK", more.body().path("code").asText());
        break;
      }
      assertEquals(201, more.status(), more.body().toString());
      delivered.add(more.body());
      drained++;
    }
    log.info("Storm: {} bundles and {} orders of a alone delivered; {} bundles more one at a time after it",
        delivered.size() - drained, aloneDelivered, drained);
    assertEquals(45, delivered.size(), "b is sold out exactly: " + drained + " after the storm");

    Set<String> every = new HashSet<>();
    for (JsonNode order : delivered) {
      assertEquals("DELIVERED", order.path("status").asText());
      assertTrue(order.path("codes").isMissingNode(), "a bundle's codes are in its parts");
      Map<String, List<String>> codes = codesByPart(order);
      assertEquals(1, codes.get(a).size(), order.toString());
      assertEquals(2, codes.get(b).size(), order.toString());
      assertEquals(1, codes.get(c).size(), order.toString());
      order.path("parts").forEach(part -> assertEquals("DELIVERED", part.path("status").asText()));
      codes.values().forEach(list -> list.forEach(code -> assertTrue(every.add(code), "a code delivered twice")));
    }
    assertEquals(45 * 4, every.size());

    assertEquals(0, stock(admin(), b).path("available").asLong());
    assertEquals(90, stock(admin(), b).path("allocated").asLong(), "b: every unit in a delivered bundle");
    assertEquals(45, stock(admin(), c).path("allocated").asLong());
    assertEquals(15, stock(admin(), c).path("available").asLong(), "c: nothing held by a refused bundle");
    assertEquals(45 + aloneDelivered, stock(admin(), a).path("allocated").asLong());
    assertEquals(200 - 45 - aloneDelivered, stock(admin(), a).path("available").asLong());
    assertEquals(0, stock(admin(), pack).path("available").asLong());
    assertFalse(products(shop).get(pack).path("available").asBoolean());

    assertEquals(10_000_000 - 45 * 2_000 - aloneDelivered * 100, balance(shop), "charged once per bundle sold");

    // A repeat answers the same bundle, with the same codes, charged nothing more.
    JsonNode first = delivered.get(0);
    Reply again = order(shop, first.path("clientOrderNo").asText(), pack);
    assertEquals(200, again.status());
    assertEquals(codesByPart(first), codesByPart(again.body()));
    assertEquals(10_000_000 - 45 * 2_000 - aloneDelivered * 100, balance(shop));

    // The books: the bundle sold 45 at cost 3 + 2 × 5 + 7 = 20 each; its parts' units count at their SKUs.
    Await.until("the sales ledger has the bundles", Duration.ofSeconds(30),
        () -> Books.salesUnits(admin(), shop, pack) == 45 && Books.salesUnits(admin(), shop, b) == 90);
    JsonNode line = Books.salesLine(admin(), shop, pack);
    assertEquals(45, line.path("orders").asLong());
    assertEquals(45 * 2_000, line.path("revenue").asLong());
    assertEquals(45 * 20, line.path("cost").asLong());
    assertEquals(0, Books.salesLine(admin(), shop, b).path("revenue").asLong(), "revenue stays on the bundle");
    Await.until("the ledger check agrees", Duration.ofSeconds(30), () -> Books.ledgerClean(admin(), shop, pack)
        && Books.ledgerClean(admin(), shop, a) && Books.ledgerClean(admin(), shop, b)
        && Books.ledgerClean(admin(), shop, c));
  }

  @Test
  void oneBundleOrderSentTwentyTimesAtOnceIsChargedAndAllocatedOnce() {
    Channel shop = channel(admin(), 100_000);
    String a = part(shop, 50, 1);
    String b = part(shop, 50, 1);
    String pack = bundle(shop, 700, a, "2", b, "1");
    for (int round = 0; round < 5; round++) {
      String no = "DUP-" + round;
      List<Reply> replies = IntStream.range(0, 20).mapToObj(i -> CompletableFuture.supplyAsync(
          () -> order(shop, no, pack), BUYERS)).toList().stream().map(CompletableFuture::join).toList();
      List<Reply> created = replies.stream().filter(r -> r.status() == 201).toList();
      assertEquals(1, created.size(), "one 201 per order number: " + replies.stream().map(Reply::status).toList());
      Map<String, List<String>> codes = codesByPart(created.get(0).body());
      for (Reply reply : replies) {
        assertTrue(reply.status() == 201 || reply.status() == 200 || reply.status() == 503 || reply.status() == 429,
            reply.status() + " " + reply.body());
        if (reply.status() == 200) {
          assertEquals(codes, codesByPart(reply.body()), "a repeat answers the same codes");
        }
      }
    }
    assertEquals(100_000 - 5 * 700, balance(shop), "charged once per order number");
    Await.until("every placement gave back what it did not keep", Duration.ofSeconds(30),
        () -> stock(admin(), a).path("allocated").asLong() == 10 && stock(admin(), b).path("allocated").asLong() == 5);
    assertEquals(40, stock(admin(), a).path("available").asLong());
    assertEquals(45, stock(admin(), b).path("available").asLong());
  }

  @Test
  void aBundlesCodesAreRedeemedAndVoidedWithTheirOrder() {
    Channel shop = channel(admin(), 100_000);
    String a = part(shop, 5, 1);
    String b = part(shop, 5, 1);
    String pack = bundle(shop, 1_000, a, "1", b, "2");
    Channel till = verifier();

    Reply kept = order(shop, "K-1", pack);
    assertEquals(201, kept.status(), kept.body().toString());
    String code = codesByPart(kept.body()).get(b).get(1);
    redeemable(till, code);
    Reply redeemed = signed(nodes.node(), till, "POST", "/api/v1/redemptions", "{\"code\": \"" + code + "\"}");
    assertEquals(200, redeemed.status(), redeemed.body().toString());
    assertEquals(b, redeemed.body().path("skuId").asText(), "the part's SKU");
    assertEquals(kept.body().path("orderId").asText(), redeemed.body().path("orderId").asText(), "the bundle's order");
    HttpTestClient.Response refused = refund(kept.body());
    assertEquals(409, refused.status(), "a bundle with a redeemed code is not refunded: " + refused.body());

    Reply voided = order(shop, "V-1", pack);
    assertEquals(201, voided.status());
    String voidCode = codesByPart(voided.body()).get(a).get(0);
    redeemable(till, voidCode);
    HttpTestClient.Response refund = refund(voided.body());
    assertEquals(200, refund.status(), refund.body());
    assertEquals("REFUNDED", refund.json().path("status").asText());
    assertEquals(2, refund.json().path("parts").size(), "the operator's view shows each part");
    refund.json().path("parts").forEach(part -> part.path("codes").forEach(masked ->
        assertTrue(masked.path("code").asText().startsWith("****"), "masked for operators")));
    Reply afterRefund = signed(nodes.node(), till, "POST", "/api/v1/redemptions", "{\"code\": \"" + voidCode + "\"}");
    assertEquals(422, afterRefund.status());
    assertTrue(afterRefund.body().path("detail").asText().contains("void"), afterRefund.body().toString());
    assertEquals(100_000 - 1_000, balance(shop), "the refunded bundle's charge came back");
  }

  /**
   * Risk control holds bundle orders like any: written REVIEW, charged, keeping no part's units.
   * Approved, every part is allocated then (the codes in the operator's answer and the channel's
   * query, redeemable); approved when a part is short, refused and refunded with nothing held;
   * rejected, refunded. The books and the ledger check agree for the parts.
   */
  @Test
  void aBundleHeldByRiskControlKeepsNoUnitsAndIsAllocatedWholeWhenApproved() {
    Channel shop = channel(admin(), 100_000);
    String a = part(shop, 5, 1);
    String b = part(shop, 3, 2);
    String pack = bundle(shop, 1_000, a, "1", b, "2");
    try {
      RiskRules.replace(admin(), RiskRules.rule("hold-all", shop.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW",
          "MANUAL_CHECK"));
      for (String no : List.of("H-1", "H-2", "H-3")) {
        Reply held = order(shop, no, pack);
        assertEquals(201, held.status(), held.body().toString());
        assertEquals("REVIEW", held.body().path("status").asText());
        assertTrue(held.body().path("parts").isMissingNode(), "nothing delivered yet: " + held.body());
      }
      assertEquals(100_000 - 3 * 1_000, balance(shop), "each held order charged once");
      Await.until("the held orders keep no units", Duration.ofSeconds(20),
          () -> stock(admin(), a).path("allocated").asLong() == 0 && stock(admin(), b).path("allocated").asLong() == 0);
      assertEquals(3, stock(admin(), b).path("available").asLong());

      HttpTestClient.Response approved = decide(shop, "H-1", "approve");
      assertEquals(200, approved.status(), approved.body());
      assertEquals("DELIVERED", approved.json().path("status").asText(), approved.body());
      Reply delivered = signed(nodes.node(), shop, "GET", "/api/v1/orders/H-1", "");
      Map<String, List<String>> codes = codesByPart(delivered.body());
      assertEquals(1, codes.get(a).size(), delivered.body().toString());
      assertEquals(2, codes.get(b).size(), delivered.body().toString());
      assertEquals(1, stock(admin(), a).path("allocated").asLong());
      assertEquals(2, stock(admin(), b).path("allocated").asLong());

      HttpTestClient.Response shortOfB = decide(shop, "H-2", "approve");
      assertEquals(200, shortOfB.status(), shortOfB.body());
      assertEquals("FAILED", shortOfB.json().path("status").asText(), "b has one unit left: " + shortOfB.body());
      assertEquals(200, decide(shop, "H-3", "reject").status());
      assertEquals(100_000 - 1_000, balance(shop), "the two not delivered were refunded");
      Await.until("nothing is left held by the refused approval", Duration.ofSeconds(20),
          () -> stock(admin(), a).path("allocated").asLong() == 1 && stock(admin(), a).path("available").asLong() == 4);
      assertEquals(1, stock(admin(), b).path("available").asLong());

      Channel till = verifier();
      String code = codes.get(b).get(0);
      redeemable(till, code);
      Reply redeemed = signed(nodes.node(), till, "POST", "/api/v1/redemptions", "{\"code\": \"" + code + "\"}");
      assertEquals(200, redeemed.status(), redeemed.body().toString());
      assertEquals(b, redeemed.body().path("skuId").asText());
      Await.until("the books have the approved bundle", Duration.ofSeconds(30),
          () -> Books.salesUnits(admin(), shop, pack) == 1 && Books.salesUnits(admin(), shop, b) == 2);
      assertEquals(1 + 2 * 2, Books.salesLine(admin(), shop, pack).path("cost").asLong());
      Await.until("the ledger check agrees", Duration.ofSeconds(30),
          () -> Books.ledgerClean(admin(), shop, a) && Books.ledgerClean(admin(), shop, b));
    } finally {
      RiskRules.clear(admin());
    }
  }

  /**
   * A bundle placement cut off after its parts were allocated and the channel charged (its node
   * died before the order was written): each part's inventory reconciles its own hold without the
   * channel asking, the order (never accepted) gives the units back and refunds the charge once,
   * though two parts ask; placed again later, it starts afresh.
   */
  @Test
  void aBundlePlacementCutOffAfterItsChargeIsGivenBackOnceWithoutTheChannelAsking() {
    Channel shop = channel(admin(), 10_000);
    String a = part(shop, 4, 1);
    String b = part(shop, 4, 1);
    String pack = bundle(shop, 700, a, "1", b, "2");
    String orderId = OrderProcessProtocol.orderId(shop.id(), "CUT-1");
    ClusterSharding sharding = ClusterSharding.get(nodes.node().system());
    Duration ask = Duration.ofSeconds(10);
    // What a placement does before the order's write, and then its node dies.
    assertInstanceOf(Allocated.class, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, a)
        .<Allocation>ask(r -> new Allocate(orderId, 1, r), ask).toCompletableFuture().join());
    assertInstanceOf(Allocated.class, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, b)
        .<Allocation>ask(r -> new Allocate(orderId, 2, r), ask).toCompletableFuture().join());
    assertInstanceOf(Debited.class, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, shop.id())
        .<DebitReply>ask(r -> new Debit(orderId, Money.of(700, "CNY"), r), ask).toCompletableFuture().join());
    assertEquals(10_000 - 700, balance(shop));

    Await.until("both parts' units and the charge given back", Duration.ofSeconds(40),
        () -> stock(admin(), a).path("available").asLong() == 4 && stock(admin(), b).path("available").asLong() == 4
            && balance(shop) == 10_000);
    assertEquals(700, Partners.account(admin(), shop).path("refunded").path("amount").asLong(), "refunded once");

    Reply again = order(shop, "CUT-1", pack);
    assertEquals(201, again.status(), again.body().toString());
    assertEquals(3, codesByPart(again.body()).values().stream().mapToInt(List::size).sum());
    assertEquals(10_000 - 700, balance(shop));
  }

  private static HttpTestClient.Response decide(Channel shop, String no, String decision) {
    return admin().post("/admin/v1/orders/" + shop.id() + "~" + no + "/" + decision, TestNodes.ADMIN_TOKEN, "{}");
  }

  @Test
  void aPartShortRefusesTheWholeBundleAndHoldsNothing() {
    Channel shop = channel(admin(), 100_000);
    String a = part(shop, 10, 1);
    String b = part(shop, 1, 1);
    String pack = bundle(shop, 500, a, "3", b, "2");
    Reply refused = order(shop, "S-1", pack);
    assertEquals(422, refused.status());
    assertEquals("OUT_OF_STOCK", refused.body().path("code").asText());
    assertTrue(refused.body().path("detail").asText().contains(b), refused.body().toString());
    assertEquals(10, stock(admin(), a).path("available").asLong(), "a's three units went back");
    assertEquals(0, stock(admin(), a).path("allocated").asLong());
    assertEquals(100_000, balance(shop), "nothing charged");

    // A bundle quantity whose part units pass an allocation's limit is refused, not half-served.
    Reply tooMany = signed(nodes.node(), shop, "POST", "/api/v1/orders", "{\"clientOrderNo\": \"S-2\", \"skuId\": \""
        + pack + "\", \"quantity\": 40, \"buyer\": {\"userId\": \"u\", \"ip\": \"198.51.100.4\"}}");
    assertEquals(422, tooMany.status(), tooMany.body().toString());
    assertEquals(10, stock(admin(), a).path("available").asLong());
    assertEquals(100_000, balance(shop));
  }

  @Test
  void badBundleDefinitionsAreRefusedAndRegisterNothing() {
    Channel shop = channel(admin(), 1_000);
    String a = part(shop, 1, 1);
    String topup = "topup-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Mobile 50", "kind": "DIRECT_TOPUP", "faceValue": {"amount": 5000, "currency": "CNY"},
         "listPrice": {"amount": 4900, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(topup)).status());
    String usd = "usd-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Gift card", "kind": "CARD_CODE", "faceValue": {"amount": 500, "currency": "USD"},
         "listPrice": {"amount": 450, "currency": "USD"}, "riskLevel": "LOW"}""".formatted(usd)).status());
    String other = bundle(shop, 100, a, "1");

    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("no parts", "[]");
    bad.put("parts missing", "null");
    bad.put("an unknown part", "[{\"skuId\": \"no-such-sku\", \"quantity\": 1}]");
    bad.put("a top-up part", "[{\"skuId\": \"" + topup + "\", \"quantity\": 1}]");
    bad.put("a part in another currency", "[{\"skuId\": \"" + usd + "\", \"quantity\": 1}]");
    bad.put("a bundle as a part", "[{\"skuId\": \"" + other + "\", \"quantity\": 1}]");
    bad.put("a part twice", "[{\"skuId\": \"" + a + "\", \"quantity\": 1}, {\"skuId\": \"" + a + "\", \"quantity\": 2}]");
    bad.put("quantity 0", "[{\"skuId\": \"" + a + "\", \"quantity\": 0}]");
    bad.put("quantity 101", "[{\"skuId\": \"" + a + "\", \"quantity\": 101}]");
    bad.put("no quantity", "[{\"skuId\": \"" + a + "\"}]");
    bad.put("a bad part id", "[{\"skuId\": \"a b\", \"quantity\": 1}]");
    bad.put("eleven parts", "[" + String.join(", ", IntStream.range(0, 11)
        .mapToObj(i -> "{\"skuId\": \"p" + i + "\", \"quantity\": 1}").toList()) + "]");
    bad.put("parts not a list", "{\"skuId\": \"" + a + "\"}");
    for (Map.Entry<String, String> entry : bad.entrySet()) {
      String skuId = "bad-" + UUID.randomUUID().toString().substring(0, 8);
      HttpTestClient.Response refused = registerBundle(skuId, entry.getValue(), "");
      assertEquals(400, refused.status(), entry.getKey() + ": " + refused.body());
      assertEquals("INVALID_REQUEST", refused.problemCode(), entry.getKey());
      assertEquals(404, admin().get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN).status(), entry.getKey());
    }
    String self = "self-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(400, registerBundle(self, "[{\"skuId\": \"" + self + "\", \"quantity\": 1}]", "").status());
    String limited = "limited-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(400, registerBundle(limited, "[{\"skuId\": \"" + a + "\", \"quantity\": 1}]",
        ", \"maxPerBuyer\": 2").status(), "a limit the bundle would not enforce");
    HttpTestClient.Response partsOnCard = admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "card-%s", "name": "Card", "kind": "CARD_CODE", "faceValue": {"amount": 5000, "currency": "CNY"},
         "listPrice": {"amount": 4500, "currency": "CNY"}, "riskLevel": "LOW", "parts": [{"skuId": "%s", "quantity": 1}]}"""
        .formatted(UUID.randomUUID().toString().substring(0, 8), a));
    assertEquals(400, partsOnCard.status(), partsOnCard.body());
    HttpTestClient.Response limit = admin().send("PATCH", "/admin/v1/skus/" + other, TestNodes.ADMIN_TOKEN,
        "application/json", "{\"maxPerBuyer\": 3}".getBytes());
    assertEquals(400, limit.status(), limit.body());
    assertNull(admin().get("/admin/v1/skus/" + other, TestNodes.ADMIN_TOKEN).json().get("maxPerBuyer"));
    assertEquals(1, stock(admin(), other).path("available").asLong(), "unchanged");
  }

  /** A delivery becomes redeemable once the codes projection has it (a second or two). */
  private static void redeemable(Channel till, String code) {
    Await.until("the code is redeemable", Duration.ofSeconds(30), () -> signed(nodes.node(), till, "POST",
        "/api/v1/redemptions/check", "{\"code\": \"" + code + "\"}").body().path("redeemable").asBoolean());
  }

  private static HttpTestClient.Response refund(JsonNode order) {
    return admin().post("/admin/v1/orders/" + order.path("orderId").asText() + "/refund", TestNodes.ADMIN_TOKEN,
        "{\"reason\": \"complaint\"}");
  }

  private static Map<String, JsonNode> products(Channel shop) {
    Map<String, JsonNode> products = new HashMap<>();
    signed(nodes.node(), shop, "GET", "/api/v1/products", "").body().path("products")
        .forEach(p -> products.put(p.path("skuId").asText(), p));
    return products;
  }

  private static Channel verifier() {
    String id = "v-" + UUID.randomUUID().toString().substring(0, 8);
    HttpTestClient.Response created = admin().post("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN,
        "{\"verifierId\": \"" + id + "\", \"name\": \"Store till\"}");
    assertEquals(201, created.status(), created.body());
    return new Channel(id, created.json().path("apiKey").asText(), created.json().path("apiSecret").asText());
  }
}
