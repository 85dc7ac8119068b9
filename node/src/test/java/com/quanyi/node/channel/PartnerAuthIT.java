package com.quanyi.node.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.TestNodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signed partner requests over real sockets, on a cluster of two nodes in one JVM. */
class PartnerAuthIT {

  private static Node first;
  private static Node second;
  private static HttpTestClient admin;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    first = TestNodes.startReady();
    second = TestNodes.startJoining(first, 2);
    admin = new HttpTestClient(first.httpPort());
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  record Channel(String channelId, String apiKey, String apiSecret) {}

  static Channel channel(long deposit) {
    String id = "ch-" + UUID.randomUUID();
    Response created = admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"" + id + "\", \"name\": \"Shop " + id + "\"}");
    assertEquals(201, created.status(), created.body());
    JsonNode body = created.json();
    if (deposit > 0) {
      assertEquals(200, admin.post("/admin/v1/channels/" + id + "/deposits", TestNodes.ADMIN_TOKEN,
          "{\"amount\": {\"amount\": " + deposit + ", \"currency\": \"CNY\"}, \"reference\": \"first\"}").status());
    }
    return new Channel(id, body.path("apiKey").asText(), body.path("apiSecret").asText());
  }

  static String nonce() {
    return "n-" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Sends a request with the given headers and body; signs {@code signedPath}/{@code signedBody} unless told. */
  static int send(Node node, String method, String path, String key, String secret, long timestamp, String nonce,
      String signedPath, String signedBody, String sentBody) {
    String canonical = RequestSignature.canonical(method, signedPath, Long.toString(timestamp), nonce,
        signedBody.getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .method(method, HttpRequest.BodyPublishers.ofString(sentBody))
        .header("X-Quanyi-Key", key)
        .header("X-Quanyi-Timestamp", Long.toString(timestamp))
        .header("X-Quanyi-Nonce", nonce)
        .header("X-Quanyi-Signature", RequestSignature.sign(secret, canonical));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String signedGet(Node node, Channel c, String path) {
    String nonce = nonce();
    long now = System.currentTimeMillis();
    String canonical = RequestSignature.canonical("GET", path, Long.toString(now), nonce, new byte[0]);
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.httpPort() + path))
          .header("X-Quanyi-Key", c.apiKey()).header("X-Quanyi-Timestamp", Long.toString(now))
          .header("X-Quanyi-Nonce", nonce).header("X-Quanyi-Signature", RequestSignature.sign(c.apiSecret(), canonical))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return response.body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sku(String kind) {
    String skuId = "sku-" + UUID.randomUUID();
    assertEquals(201, admin.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Video VIP %s", "kind": "%s", "faceValue": {"amount": 3000, "currency": "CNY"},
         "listPrice": {"amount": 2800, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(skuId, skuId, kind)).status());
    return skuId;
  }

  static void price(Channel c, String skuId, long amount) {
    assertEquals(200, admin.send("PUT", "/admin/v1/channels/" + c.channelId() + "/prices/" + skuId, TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"price\": {\"amount\": " + amount + ", \"currency\": \"CNY\"}}").getBytes()).status());
  }

  @Test
  void productsAreTheChannelsOwnCatalogAtItsOwnPrices() throws Exception {
    Channel a = channel(0);
    Channel b = channel(0);
    String stocked = sku("CARD_CODE");
    String empty = sku("CARD_CODE");
    String hidden = sku("CARD_CODE");
    assertEquals(201, admin.send("POST", "/admin/v1/skus/" + stocked + "/batches?supplierId=s&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", ("P-" + UUID.randomUUID()).getBytes()).status());
    price(a, stocked, 2500);
    price(a, empty, 2600);
    price(a, hidden, 2700);
    price(b, stocked, 2900);
    admin.send("PATCH", "/admin/v1/skus/" + hidden, TestNodes.ADMIN_TOKEN, "application/json",
        "{\"status\": \"UNLISTED\"}".getBytes());

    JsonNode ofA = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signedGet(second, a, "/api/v1/products"))
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
    JsonNode ofB = new com.fasterxml.jackson.databind.ObjectMapper().readTree(signedGet(first, b, "/api/v1/products"))
        .path("products");
    assertEquals(1, ofB.size());
    assertEquals(2900, ofB.get(0).path("price").path("amount").asLong());
  }

  static int balance(Node node, Channel c, long timestamp, String nonce) {
    return send(node, "GET", "/api/v1/balance", c.apiKey(), c.apiSecret(), timestamp, nonce, "/api/v1/balance", "", "");
  }

  @Test
  void aValidSignedRequestSeesItsBalance() throws Exception {
    Channel c = channel(5000);
    String nonce = nonce();
    long now = System.currentTimeMillis();
    String canonical = RequestSignature.canonical("GET", "/api/v1/balance", Long.toString(now), nonce, new byte[0]);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + first.httpPort() + "/api/v1/balance"))
        .header("X-Quanyi-Key", c.apiKey()).header("X-Quanyi-Timestamp", Long.toString(now))
        .header("X-Quanyi-Nonce", nonce).header("X-Quanyi-Signature", RequestSignature.sign(c.apiSecret(), canonical))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"amount\":5000"), response.body());
  }

  @Test
  void everyForgeryIsA401() {
    Channel c = channel(100);
    long now = System.currentTimeMillis();
    assertEquals(401, send(first, "GET", "/api/v1/balance", c.apiKey(), c.apiSecret() + "x", now, nonce(),
        "/api/v1/balance", "", ""), "wrong secret");
    assertEquals(401, send(first, "GET", "/api/v1/balance", c.apiKey(), c.apiSecret(), now, nonce(),
        "/api/v1/balance", "{\"a\":1}", ""), "body changed after signing");
    assertEquals(401, send(first, "GET", "/api/v1/balance", c.apiKey(), c.apiSecret(), now, nonce(),
        "/api/v1/balance?all=true", "", ""), "path changed after signing");
    assertEquals(401, balance(first, c, now - 301_000, nonce()), "stale timestamp");
    assertEquals(401, balance(first, c, now + 301_000, nonce()), "future timestamp");
    assertEquals(401, send(first, "GET", "/api/v1/balance", "qk." + c.channelId() + ".forged", c.apiSecret(), now,
        nonce(), "/api/v1/balance", "", ""), "unknown key");
    Channel other = channel(0);
    assertEquals(401, send(first, "GET", "/api/v1/balance", other.apiKey(), c.apiSecret(), now, nonce(),
        "/api/v1/balance", "", ""), "another channel's secret");
    assertEquals(200, balance(first, c, now, nonce()));
  }

  @Test
  void aNonceIsRefusedTheSecondTimeOnEitherNode() {
    Channel c = channel(100);
    long now = System.currentTimeMillis();
    String nonce = nonce();
    assertEquals(200, balance(first, c, now, nonce));
    assertEquals(401, balance(first, c, now, nonce), "replay on the same node");
    assertEquals(401, balance(second, c, now, nonce), "replay on the other node");
    String other = nonce();
    assertEquals(200, balance(second, c, now, other));
    assertEquals(401, balance(first, c, now, other));
  }

  @Test
  void channelsNestAtMostThreeLevelsAndDepositsAreIdempotent() {
    Channel top = channel(0);
    String level2 = "l2-" + UUID.randomUUID();
    String level3 = "l3-" + UUID.randomUUID();
    assertEquals(201, admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN, "{\"channelId\": \"" + level2
        + "\", \"name\": \"L2\", \"parentChannelId\": \"" + top.channelId() + "\"}").status());
    assertEquals(201, admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN, "{\"channelId\": \"" + level3
        + "\", \"name\": \"L3\", \"parentChannelId\": \"" + level2 + "\"}").status());
    Response fourth = admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN, "{\"channelId\": \"l4-" + UUID.randomUUID()
        + "\", \"name\": \"L4\", \"parentChannelId\": \"" + level3 + "\"}");
    assertEquals("INVALID_REQUEST", fourth.problemCode(), fourth.body());
    assertEquals("INVALID_REQUEST", admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"x-" + UUID.randomUUID() + "\", \"name\": \"X\", \"parentChannelId\": \"missing\"}").problemCode());
    assertEquals("ALREADY_EXISTS", admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"" + top.channelId() + "\", \"name\": \"again\"}").problemCode());
    assertEquals("INVALID_REQUEST", admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"cb-" + UUID.randomUUID() + "\", \"name\": \"cb\", \"callbackUrl\": \"ftp://x\"}").problemCode());

    String deposit = "{\"amount\": {\"amount\": 700, \"currency\": \"CNY\"}, \"reference\": \"wire-1\"}";
    for (int i = 0; i < 3; i++) {
      Response r = admin.post("/admin/v1/channels/" + top.channelId() + "/deposits", TestNodes.ADMIN_TOKEN, deposit);
      assertEquals(700, r.json().path("balance").path("amount").asLong(), r.body());
    }
    assertEquals("INVALID_REQUEST", admin.post("/admin/v1/channels/" + top.channelId() + "/deposits",
        TestNodes.ADMIN_TOKEN, "{\"amount\": {\"amount\": 5, \"currency\": \"CNY\"}, \"reference\": \"wire-1\"}").problemCode());
    assertEquals("INVALID_REQUEST", admin.post("/admin/v1/channels/" + top.channelId() + "/deposits",
        TestNodes.ADMIN_TOKEN, "{\"amount\": {\"amount\": -5, \"currency\": \"CNY\"}, \"reference\": \"w2\"}").problemCode());
    assertEquals("NOT_FOUND", admin.post("/admin/v1/channels/nope-" + UUID.randomUUID() + "/deposits",
        TestNodes.ADMIN_TOKEN, deposit).problemCode());
    JsonNode view = admin.get("/admin/v1/channels/" + top.channelId(), TestNodes.ADMIN_TOKEN).json();
    assertEquals(700, view.path("account").path("balance").path("amount").asLong());
    assertTrue(!view.toString().contains(top.apiSecret()), "the secret is shown once, at registration");
  }
}
