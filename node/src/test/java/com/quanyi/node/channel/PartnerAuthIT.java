package com.quanyi.node.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Signature;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signed partner requests over real sockets, on a cluster of two nodes in one JVM. */
class PartnerAuthIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.cluster(2);

  private static final byte[] NO_BODY = new byte[0];
  private static final ExecutorService POOL = Executors.newFixedThreadPool(40);

  static Node first() {
    return nodes.node(0);
  }

  static Node second() {
    return nodes.node(1);
  }

  static HttpTestClient admin() {
    return nodes.admin();
  }

  static Channel channel(long deposit) {
    return Partners.channel(admin(), deposit);
  }

  static String nonce() {
    return Partners.nonce();
  }

  /** The status of a balance request signed as {@code signature} says. */
  static int balance(Node node, Signature signature) {
    return Partners.send(node.httpPort(), "GET", "/api/v1/balance", NO_BODY, signature).status();
  }

  static int balance(Node node, Channel c, long timestamp, String nonce) {
    return balance(node, Signature.of(c, "/api/v1/balance", NO_BODY).at(timestamp).withNonce(nonce));
  }

  static String signedGet(Node node, Channel c, String path) {
    Response response = Partners.signedRaw(node.httpPort(), c, "GET", path, NO_BODY);
    assertEquals(200, response.status(), response.body());
    return response.body();
  }

  static String sku(String kind) {
    String skuId = "sku-" + UUID.randomUUID();
    assertEquals(201, admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Video VIP %s", "kind": "%s", "faceValue": {"amount": 3000, "currency": "CNY"},
         "listPrice": {"amount": 2800, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(skuId, skuId, kind)).status());
    return skuId;
  }

  static void price(Channel c, String skuId, long amount) {
    assertEquals(200, admin().send("PUT", "/admin/v1/channels/" + c.id() + "/prices/" + skuId, TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"price\": {\"amount\": " + amount + ", \"currency\": \"CNY\"}}").getBytes()).status());
  }

  @Test
  void productsAreTheChannelsOwnCatalogAtItsOwnPrices() throws Exception {
    Channel a = channel(0);
    Channel b = channel(0);
    String stocked = sku("CARD_CODE");
    String empty = sku("CARD_CODE");
    String hidden = sku("CARD_CODE");
    assertEquals(201, admin().send("POST", "/admin/v1/skus/" + stocked + "/batches?supplierId=s&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", ("P-" + UUID.randomUUID()).getBytes()).status());
    price(a, stocked, 2500);
    price(a, empty, 2600);
    price(a, hidden, 2700);
    price(b, stocked, 2900);
    admin().send("PATCH", "/admin/v1/skus/" + hidden, TestNodes.ADMIN_TOKEN, "application/json",
        "{\"status\": \"UNLISTED\"}".getBytes());

    JsonNode ofA = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signedGet(second(), a, "/api/v1/products"))
        .path("products");
    assertEquals(2, ofA.size(), ofA.toString());
    for (JsonNode product : ofA) {
      if (product.path("skuId").asText().equals(stocked)) {
        assertEquals(2500, product.path("price").path("amount").asLong());
        assertTrue(product.path("available").asBoolean());
      } else {
        assertEquals(empty, product.path("skuId").asText());
        assertEquals(false, product.path("available").asBoolean());
      }
    }
    JsonNode ofB = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signedGet(first(), b, "/api/v1/products"))
        .path("products");
    assertEquals(1, ofB.size());
    assertEquals(2900, ofB.get(0).path("price").path("amount").asLong());
  }

  @Test
  void aValidSignedRequestSeesItsBalance() {
    Channel c = channel(5000);
    Response response = Partners.signedRaw(first().httpPort(), c, "GET", "/api/v1/balance", NO_BODY);
    assertEquals(200, response.status(), response.body());
    assertTrue(response.body().contains("\"amount\":5000"), response.body());
  }

  @Test
  void everyForgeryIsA401() {
    Channel c = channel(100);
    long now = System.currentTimeMillis();
    Signature valid = Signature.of(c, "/api/v1/balance", NO_BODY);
    assertEquals(401, balance(first(), valid.withSecret(c.secret() + "x")), "wrong secret");
    assertEquals(401, balance(first(), valid.withNonce(nonce()).over("/api/v1/balance",
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8))), "body changed after signing");
    assertEquals(401, balance(first(), valid.withNonce(nonce()).over("/api/v1/balance?all=true", NO_BODY)),
        "path changed after signing");
    assertEquals(401, balance(first(), c, now - 301_000, nonce()), "stale timestamp");
    assertEquals(401, balance(first(), c, now + 301_000, nonce()), "future timestamp");
    assertEquals(401, balance(first(), valid.withNonce(nonce()).withKey("qk." + c.id() + ".forged")), "unknown key");
    Channel other = channel(0);
    assertEquals(401, balance(first(), valid.withNonce(nonce()).withKey(other.key())), "another channel's secret");
    assertEquals(200, balance(first(), c, now, nonce()));
  }

  @Test
  void aNonceIsRefusedTheSecondTimeOnEitherNode() {
    Channel c = channel(100);
    long now = System.currentTimeMillis();
    String nonce = nonce();
    assertEquals(200, balance(first(), c, now, nonce));
    assertEquals(401, balance(first(), c, now, nonce), "replay on the same node");
    assertEquals(401, balance(second(), c, now, nonce), "replay on the other node");
    String other = nonce();
    assertEquals(200, balance(second(), c, now, other));
    assertEquals(401, balance(first(), c, now, other));
  }

  @Test
  void oneSignedRequestSentFortyTimesAtOnceToBothNodesGetsInOnce() throws Exception {
    Channel c = channel(100);
    Signature once = Signature.of(c, "/api/v1/balance", NO_BODY).withNonce(nonce());
    List<CompletableFuture<Integer>> sends = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Node node = i % 2 == 0 ? first() : second();
      sends.add(CompletableFuture.supplyAsync(() -> balance(node, once), POOL));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<Integer> send : sends) {
      statuses.add(send.get(30, TimeUnit.SECONDS));
    }
    assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(39, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
  }

  @Test
  void channelsNestAtMostThreeLevelsAndDepositsAreIdempotent() {
    Channel top = channel(0);
    String level2 = "l2-" + UUID.randomUUID();
    String level3 = "l3-" + UUID.randomUUID();
    assertEquals(201, admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN, "{\"channelId\": \"" + level2
        + "\", \"name\": \"L2\", \"parentChannelId\": \"" + top.id() + "\"}").status());
    assertEquals(201, admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN, "{\"channelId\": \"" + level3
        + "\", \"name\": \"L3\", \"parentChannelId\": \"" + level2 + "\"}").status());
    Response fourth = admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN, "{\"channelId\": \"l4-" + UUID.randomUUID()
        + "\", \"name\": \"L4\", \"parentChannelId\": \"" + level3 + "\"}");
    assertEquals("INVALID_REQUEST", fourth.problemCode(), fourth.body());
    assertEquals("INVALID_REQUEST", admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"x-" + UUID.randomUUID() + "\", \"name\": \"X\", \"parentChannelId\": \"missing\"}").problemCode());
    assertEquals("ALREADY_EXISTS", admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"" + top.id() + "\", \"name\": \"again\"}").problemCode());
    assertEquals("INVALID_REQUEST", admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"cb-" + UUID.randomUUID() + "\", \"name\": \"cb\", \"callbackUrl\": \"ftp://x\"}").problemCode());

    String deposit = "{\"amount\": {\"amount\": 700, \"currency\": \"CNY\"}, \"reference\": \"wire-1\"}";
    for (int i = 0; i < 3; i++) {
      Response r = admin().post("/admin/v1/channels/" + top.id() + "/deposits", TestNodes.ADMIN_TOKEN, deposit);
      assertEquals(700, r.json().path("balance").path("amount").asLong(), r.body());
    }
    assertEquals("INVALID_REQUEST", admin().post("/admin/v1/channels/" + top.id() + "/deposits",
        TestNodes.ADMIN_TOKEN, "{\"amount\": {\"amount\": 5, \"currency\": \"CNY\"}, \"reference\": \"wire-1\"}").problemCode());
    assertEquals("INVALID_REQUEST", admin().post("/admin/v1/channels/" + top.id() + "/deposits",
        TestNodes.ADMIN_TOKEN, "{\"amount\": {\"amount\": -5, \"currency\": \"CNY\"}, \"reference\": \"w2\"}").problemCode());
    assertEquals("NOT_FOUND", admin().post("/admin/v1/channels/nope-" + UUID.randomUUID() + "/deposits",
        TestNodes.ADMIN_TOKEN, deposit).problemCode());
    JsonNode view = admin().get("/admin/v1/channels/" + top.id(), TestNodes.ADMIN_TOKEN).json();
    assertEquals(700, view.path("account").path("balance").path("amount").asLong());
    assertTrue(!view.toString().contains(top.secret()), "the secret is shown once, at registration");
  }
}
