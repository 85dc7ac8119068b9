package com.quanyi.node.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Card-code orders over signed HTTP, against the real journal and vault. */
class OrderApiIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  static Channel channel(long deposit) {
    return Partners.channel(nodes.admin(), deposit);
  }

  static List<String> stockedSku(int codes) {
    return stockedSku(codes, 0);
  }

  /** A SKU with {@code codes} imported codes: its id, then the codes. {@code maxPerBuyer} 0 is no limit. */
  static List<String> stockedSku(int codes, int maxPerBuyer) {
    String skuId = "sku-" + UUID.randomUUID();
    assertEquals(201, nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Music VIP", "kind": "CARD_CODE", "faceValue": {"amount": 1500, "currency": "CNY"},
         "listPrice": {"amount": 1400, "currency": "CNY"}, "riskLevel": "LOW"%s}"""
        .formatted(skuId, maxPerBuyer > 0 ? ", \"maxPerBuyer\": " + maxPerBuyer : "")).status());
    List<String> imported = IntStream.range(0, codes).mapToObj(i -> "MV-" + UUID.randomUUID()).toList();
    if (codes > 0) {
      assertEquals(codes, nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1000",
          TestNodes.ADMIN_TOKEN, "text/csv", String.join("\n", imported).getBytes(StandardCharsets.UTF_8))
          .json().path("accepted").asInt());
    }
    List<String> result = new ArrayList<>();
    result.add(skuId);
    result.addAll(imported);
    return result;
  }

  static void price(Channel c, String skuId, long amount) {
    assertEquals(200, nodes.admin().send("PUT", "/admin/v1/channels/" + c.id() + "/prices/" + skuId, TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"price\": {\"amount\": " + amount + ", \"currency\": \"CNY\"}}").getBytes()).status());
  }

  static void price(Channel c, String skuId, long amount, int quota) {
    assertEquals(200, nodes.admin().send("PUT", "/admin/v1/channels/" + c.id() + "/prices/" + skuId, TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"price\": {\"amount\": " + amount + ", \"currency\": \"CNY\"}, \"quota\": " + quota + "}")
            .getBytes()).status());
  }

  /** Places {@code count} one-unit orders at once; {@code userOf} names each one's buyer. */
  static List<Reply> concurrently(Channel c, String skuId, int count, java.util.function.IntFunction<String> userOf) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body = order("L-" + run + "-" + i, skuId, 1, userOf.apply(i));
      replies.add(CompletableFuture.supplyAsync(() -> signed(c, "POST", "/api/v1/orders", body)));
    }
    return replies.stream().map(CompletableFuture::join).toList();
  }

  static long count(List<Reply> replies, int status, String code) {
    return replies.stream().filter(r -> r.status() == status
        && (code == null || r.body().path("code").asText().equals(code))).count();
  }

  static Reply signed(Channel c, String method, String path, String body) {
    return Partners.signed(nodes.node(), c, method, path, body);
  }

  static String order(String clientOrderNo, String skuId, int quantity, String userId) {
    return """
        {"clientOrderNo": "%s", "skuId": "%s", "quantity": %d, "buyer": {"userId": "%s", "ip": "203.0.113.9"}}"""
        .formatted(clientOrderNo, skuId, quantity, userId);
  }

  static long balance(Channel c) {
    return signed(c, "GET", "/api/v1/balance", "").body().path("balance").path("amount").asLong();
  }

  static long available(String skuId) {
    return nodes.admin().get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN).json().path("stock").path("available").asLong();
  }

  static List<String> codes(JsonNode order) {
    List<String> codes = new ArrayList<>();
    order.path("codes").forEach(c -> codes.add(c.path("code").asText()));
    return codes;
  }

  @Test
  void anOrderDeliversItsCodesOnceAndOnlyToItsChannel() {
    List<String> sku = stockedSku(10);
    Channel c = channel(100_000);
    Channel other = channel(100_000);
    price(c, sku.get(0), 1200);

    Reply placed = signed(c, "POST", "/api/v1/orders", order("CO-1", sku.get(0), 3, "u-1"));
    assertEquals(201, placed.status(), placed.body().toString());
    assertEquals("DELIVERED", placed.body().path("status").asText());
    assertEquals(3600, placed.body().path("amount").path("amount").asLong());
    List<String> delivered = codes(placed.body());
    assertEquals(3, delivered.size());
    assertTrue(sku.subList(1, 11).containsAll(delivered));
    assertEquals(100_000 - 3600, balance(c));

    Reply again = signed(c, "POST", "/api/v1/orders", order("CO-1", sku.get(0), 3, "u-1"));
    assertEquals(200, again.status());
    assertEquals(delivered, codes(again.body()));
    assertEquals(100_000 - 3600, balance(c), "never a second charge");
    assertEquals(7, available(sku.get(0)), "never a second allocation");

    Reply mismatch = signed(c, "POST", "/api/v1/orders", order("CO-1", sku.get(0), 4, "u-1"));
    assertEquals(409, mismatch.status());
    assertEquals("IDEMPOTENCY_MISMATCH", mismatch.body().path("code").asText());

    assertEquals(delivered, codes(signed(c, "GET", "/api/v1/orders/CO-1", "").body()));
    assertEquals(404, signed(other, "GET", "/api/v1/orders/CO-1", "").status(), "another channel's order is not found");
    JsonNode masked = nodes.admin().get("/admin/v1/orders/" + c.id() + "~CO-1", TestNodes.ADMIN_TOKEN).json();
    for (JsonNode code : masked.path("codes")) {
      assertTrue(code.path("code").asText().startsWith("****"));
    }
    assertTrue(!masked.toString().contains(delivered.get(0)));
  }

  @Test
  void fiftyConcurrentIdenticalRequestsMakeOneOrder() {
    List<String> sku = stockedSku(5);
    Channel c = channel(10_000);
    price(c, sku.get(0), 1000);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(CompletableFuture.supplyAsync(() -> signed(c, "POST", "/api/v1/orders", order("SAME", sku.get(0), 1, "u"))));
    }
    List<Reply> all = replies.stream().map(CompletableFuture::join).toList();
    assertEquals(1, all.stream().filter(r -> r.status() == 201).count(), all.toString());
    assertEquals(49, all.stream().filter(r -> r.status() == 200).count());
    assertEquals(1, all.stream().map(r -> codes(r.body())).distinct().count(), "everyone sees the same codes");
    assertEquals(9_000, balance(c));
    assertEquals(4, available(sku.get(0)));
  }

  /**
   * Placements run before their order entity exists, so two of one order number can race: the same
   * number with other content at once (another quantity, another SKU, another buyer) must never
   * leave units held by one placement released by the other, nor a charge refunded that an order
   * stands on. Each number ends as one order; stock, balance and codes agree with the orders written.
   */
  @Test
  void theSameNumberWithOtherContentAtOnceMakesOneOrderAndLeaksNothing() {
    List<String> first = stockedSku(200);
    List<String> second = stockedSku(200);
    Channel c = channel(1_000_000);
    price(c, first.get(0), 100);
    price(c, second.get(0), 300);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      String no = "RACE-" + n;
      List<String> bodies = List.of(order(no, first.get(0), 1, "u"), order(no, first.get(0), 2, "u"),
          order(no, second.get(0), 1, "u"), order(no, first.get(0), 1, "someone-else"));
      for (String body : bodies) {
        replies.add(CompletableFuture.supplyAsync(() -> signed(c, "POST", "/api/v1/orders", body)));
      }
    }
    List<Reply> all = replies.stream().map(CompletableFuture::join).toList();
    assertTrue(all.stream().allMatch(r -> r.status() == 201 || r.status() == 200 || r.status() == 409
        || r.status() == 503), all.stream().map(Reply::status).distinct().toList().toString());

    long units = 0;
    long charged = 0;
    java.util.Set<String> allCodes = new java.util.HashSet<>();
    for (int n = 0; n < 40; n++) {
      Reply order = signed(c, "GET", "/api/v1/orders/RACE-" + n, "");
      if (order.status() == 404) {
        continue;
      }
      units += order.body().path("quantity").asLong();
      charged += order.body().path("amount").path("amount").asLong();
      List<String> codes = codes(order.body());
      assertEquals(order.body().path("quantity").asInt(), codes.size());
      assertTrue(allCodes.addAll(codes), "a code belongs to two orders");
    }
    long orders = units;
    Await.until("holds of placements that lost their race given back", java.time.Duration.ofSeconds(60),
        () -> available(first.get(0)) + available(second.get(0)) == 400 - orders);
    assertEquals(1_000_000 - charged, balance(c), "every cent charged is an order's");
  }

  @Test
  void twoHundredOrdersAgainstABalanceForOneHundredFifty() {
    List<String> sku = stockedSku(250);
    Channel c = channel(150 * 990);
    price(c, sku.get(0), 990);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String no = "M-" + i;
      replies.add(CompletableFuture.supplyAsync(() -> signed(c, "POST", "/api/v1/orders", order(no, sku.get(0), 1, "u-" + no))));
    }
    List<Reply> all = replies.stream().map(CompletableFuture::join).toList();
    assertEquals(150, all.stream().filter(r -> r.status() == 201).count());
    assertEquals(50, all.stream().filter(r -> r.status() == 422
        && r.body().path("code").asText().equals("INSUFFICIENT_BALANCE")).count());
    assertEquals(0, balance(c));
    assertEquals(100, available(sku.get(0)), "refused orders gave their units back");
  }

  @Test
  void moreOrdersThanStockAcrossChannelsNeverOversell() {
    List<String> sku = stockedSku(60);
    List<Channel> channels = List.of(channel(1_000_000), channel(1_000_000), channel(1_000_000));
    long[] prices = {1000, 1100, 1200};
    for (int i = 0; i < 3; i++) {
      price(channels.get(i), sku.get(0), prices[i]);
    }
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    List<Integer> channelOf = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      Channel c = channels.get(i % 3);
      String no = "S-" + i;
      channelOf.add(i % 3);
      replies.add(CompletableFuture.supplyAsync(() -> signed(c, "POST", "/api/v1/orders", order(no, sku.get(0), 1, "u"))));
    }
    Set<String> delivered = new HashSet<>();
    long charged = 0;
    for (int i = 0; i < 90; i++) {
      Reply r = replies.get(i).join();
      if (r.status() == 201) {
        assertTrue(delivered.addAll(codes(r.body())), "a code was delivered twice");
        charged += prices[channelOf.get(i)];
      } else {
        assertEquals("OUT_OF_STOCK", r.body().path("code").asText(), r.body().toString());
      }
    }
    assertEquals(60, delivered.size());
    assertTrue(sku.subList(1, 61).containsAll(delivered), "every delivered code is one that was imported");
    long spent = channels.stream().mapToLong(c -> 1_000_000 - balance(c)).sum();
    assertEquals(charged, spent, "the sum of charges equals what was delivered at each channel's price");
    assertEquals(0, available(sku.get(0)));
  }

  @Test
  void badOrdersAreRefusedAndChangeNothing() {
    List<String> sku = stockedSku(5);
    Channel c = channel(10_000);
    price(c, sku.get(0), 1000);
    String s = sku.get(0);
    List<String> bodies = List.of(
        "{\"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\"}}",
        order("bad no!", s, 1, "u"),
        order("B1", "bad sku!", 1, "u"),
        order("B2", s, 0, "u"),
        order("B3", s, 101, "u"),
        order("B4", s, -1, "u"),
        "{\"clientOrderNo\": \"B5\", \"skuId\": \"" + s + "\", \"quantity\": \"1\", \"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\"}}",
        "{\"clientOrderNo\": \"B6\", \"skuId\": \"" + s + "\", \"quantity\": 1.5, \"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\"}}",
        "{\"clientOrderNo\": \"B7\", \"skuId\": \"" + s + "\", \"quantity\": 1}",
        "{\"clientOrderNo\": \"B8\", \"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u\", \"ip\": \"not an ip\"}}",
        "{\"clientOrderNo\": \"B9\", \"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": {\"ip\": \"1.2.3.4\"}}",
        "{\"clientOrderNo\": \"B10\", \"skuId\": ",
        "[]",
        "{\"clientOrderNo\": \"B12\", \"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"" + "u".repeat(129)
            + "\", \"ip\": \"1.2.3.4\"}}",
        "{\"clientOrderNo\": \"B13\", \"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\", "
            + "\"deviceId\": \"d\\u0000\"}}",
        "{\"clientOrderNo\": \"B14\", \"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\"}, "
            + "\"rechargeAccount\": \"\"}",
        "{\"clientOrderNo\": \"B15\", \"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\"}, "
            + "\"callbackUrl\": \"" + "x".repeat(2049) + "\"}",
        "{\"clientOrderNo\": \"B16\", \"skuId\": \"" + s + "\", \"quantity\": null, \"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\"}}",
        "{\"clientOrderNo\": \"B17\", \"skuId\": \"" + s + "\", \"quantity\": 1, \"buyer\": \"u\"}");
    for (String body : bodies) {
      Reply r = signed(c, "POST", "/api/v1/orders", body);
      assertEquals(400, r.status(), body + " -> " + r.body());
      assertEquals("INVALID_REQUEST", r.body().path("code").asText());
    }
    String unpriced = stockedSku(3).get(0);
    Reply notInCatalog = signed(c, "POST", "/api/v1/orders", order("B11", unpriced, 1, "u"));
    assertEquals(422, notInCatalog.status());
    assertEquals("SKU_UNAVAILABLE", notInCatalog.body().path("code").asText());
    assertEquals(10_000, balance(c));
    assertEquals(5, available(s));
    assertEquals(3, available(unpriced));
  }

  @Test
  void oneBuyerRacingForMoreThanMaxPerBuyerGetsExactlyTheLimit() {
    List<String> sku = stockedSku(50, 3);
    Channel c = channel(100_000);
    price(c, sku.get(0), 1000);
    List<Reply> whale = concurrently(c, sku.get(0), 40, i -> "whale");
    assertEquals(3, count(whale, 201, null), whale.toString());
    assertEquals(37, count(whale, 422, "LIMIT_EXCEEDED"));
    assertEquals(100_000 - 3 * 1000, balance(c), "only delivered orders are charged");
    assertEquals(47, available(sku.get(0)), "refused orders hold nothing");
    List<Reply> crowd = concurrently(c, sku.get(0), 10, i -> "fan-" + i);
    assertEquals(10, count(crowd, 201, null), "other buyers are not limited by the whale");
  }

  @Test
  void aChannelsQuotaHoldsUnderConcurrentOrders() {
    List<String> sku = stockedSku(50);
    Channel limited = channel(100_000);
    Channel free = channel(100_000);
    price(limited, sku.get(0), 1000, 5);
    price(free, sku.get(0), 1000);
    List<Reply> replies = concurrently(limited, sku.get(0), 30, i -> "u-" + i);
    assertEquals(5, count(replies, 201, null), replies.toString());
    assertEquals(25, count(replies, 422, "LIMIT_EXCEEDED"));
    assertEquals(100_000 - 5 * 1000, balance(limited));
    assertEquals(45, available(sku.get(0)), "refused orders hold nothing");
    assertEquals(10, count(concurrently(free, sku.get(0), 10, i -> "v-" + i), 201, null),
        "the quota is this channel's, not the SKU's");
  }
}
