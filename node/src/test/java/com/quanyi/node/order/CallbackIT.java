package com.quanyi.node.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.node.supplier.sim.SupplierSimulator;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.CallbackReceiver;
import com.quanyi.node.testkit.CallbackReceiver.Received;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TopupFixture;
import com.quanyi.node.testkit.Scrape;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Order status callbacks to a real receiver over HTTP: signed with the channel's secret, one
 * stable event id per status change, retried while the receiver fails, parked after the last
 * retry and replayed by an operator. Test backoff: 300, 600, 900 ms (quanyi-test.conf).
 */
class CallbackIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<AutoCloseable> servers = new ArrayList<>();

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one(Map.of("quanyi.suppliers.query-every", "200ms",
      "quanyi.alerts.every", "1s"));

  @RegisterExtension
  final TopupFixture topups = new TopupFixture(nodes::admin);

  @AfterEach
  void closeServers() throws Exception {
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  private CallbackReceiver receiver() throws Exception {
    CallbackReceiver receiver = new CallbackReceiver();
    servers.add(receiver);
    return receiver;
  }

  private static Partners.Channel channel(String callbackUrl) {
    String id = "cb-" + UUID.randomUUID().toString().substring(0, 8);
    JsonNode created = nodes.admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"" + id + "\", \"name\": \"Shop\", \"callbackUrl\": \"" + callbackUrl + "\"}").json();
    nodes.admin().post("/admin/v1/channels/" + id + "/deposits", TestNodes.ADMIN_TOKEN,
        "{\"amount\": {\"amount\": 1000000, \"currency\": \"CNY\"}, \"reference\": \"d1\"}");
    return new Partners.Channel(id, created.path("apiKey").asText(), created.path("apiSecret").asText());
  }

  private static String cardSku(Partners.Channel c) {
    return Partners.stockedSku(nodes.admin(), c, 20, 1000);
  }

  private static void assertSigned(Received callback, String secret) {
    String t = callback.signature().substring(2, callback.signature().indexOf(','));
    assertEquals(RequestSignature.webhookHeader(secret, Long.parseLong(t), callback.body().getBytes(StandardCharsets.UTF_8)),
        callback.signature(), "the signature verifies with the channel's secret");
  }

  @Test
  void aDeliveredOrderIsCalledBackSignedWithAStableEventIdAndNoCodes() throws Exception {
    CallbackReceiver receiver = receiver();
    Partners.Channel c = channel(receiver.uri("/hooks/quanyi").toString());
    String sku = cardSku(c);
    Partners.Reply placed = Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order("C-1", sku));
    assertEquals(201, placed.status());
    String code = placed.body().path("codes").get(0).path("code").asText();

    Await.until("the callback arrives", Duration.ofSeconds(30), () -> receiver.acknowledged().size() == 1);
    Received callback = receiver.acknowledged().get(0);
    JsonNode body = JSON.readTree(callback.body());
    assertEquals(c.id() + "~C-1", body.path("orderId").asText());
    assertEquals("C-1", body.path("clientOrderNo").asText());
    assertEquals("DELIVERED", body.path("status").asText());
    assertEquals(callback.eventId(), body.path("eventId").asText());
    assertFalse(callback.body().contains(code), "codes never travel in callbacks");
    assertSigned(callback, c.secret());
    Thread.sleep(1500);
    assertEquals(1, receiver.received().size(), "acknowledged once, sent once");
  }

  @Test
  void anOrderHeldForReviewIsCalledBackHeldThenDeliveredWhenApproved() throws Exception {
    CallbackReceiver receiver = receiver();
    Partners.Channel c = channel(receiver.uri("/hooks/quanyi").toString());
    String sku = cardSku(c);
    try {
      RiskRules.replace(nodes.admin(), RiskRules.rule("all", c.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW", "MANUAL_CHECK"));
      assertEquals("REVIEW", Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order("RV-1", sku)).body()
          .path("status").asText());
      Await.until("the REVIEW callback", Duration.ofSeconds(30), () -> receiver.acknowledged().size() == 1);
      assertEquals("REVIEW", JSON.readTree(receiver.acknowledged().get(0).body()).path("status").asText());
      assertEquals(200, nodes.admin().post("/admin/v1/orders/" + c.id() + "~RV-1/approve", TestNodes.ADMIN_TOKEN, "{}")
          .status());
      Await.until("the DELIVERED callback", Duration.ofSeconds(30), () -> receiver.acknowledged().size() == 2);
      JsonNode delivered = JSON.readTree(receiver.acknowledged().get(1).body());
      assertEquals("DELIVERED", delivered.path("status").asText());
      assertFalse(receiver.acknowledged().get(0).eventId().equals(receiver.acknowledged().get(1).eventId()));
    } finally {
      RiskRules.clear(nodes.admin());
    }
  }

  @Test
  void aReceiverThatFailsForAWhileGetsEveryCallbackOnceItIsBack() throws Exception {
    CallbackReceiver receiver = receiver();
    receiver.answer(503);
    Partners.Channel c = channel(receiver.uri("/cb").toString());
    String sku = cardSku(c);
    IntStream.range(0, 5).forEach(i -> assertEquals(201,
        Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order("R-" + i, sku)).status()));
    Await.until("the first attempts fail", Duration.ofSeconds(30), () -> receiver.received().size() >= 5);
    receiver.answer(200);
    Await.until("every callback acknowledged", Duration.ofSeconds(30), () -> receiver.acknowledged().size() == 5);
    assertEquals(5, receiver.acknowledged().stream().map(Received::eventId).distinct().count());
    receiver.acknowledged().forEach(r -> assertSigned(r, c.secret()));
  }

  @Test
  void aCallbackNeverAcknowledgedIsParkedAndReplayedByAnOperator() throws Exception {
    CallbackReceiver receiver = receiver();
    receiver.answer(500);
    Partners.Channel c = channel(receiver.uri("/cb").toString());
    String sku = cardSku(c);
    assertEquals(201, Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order("P-1", sku)).status());
    Await.until("the owed callback is metered", Duration.ofSeconds(10),
        () -> Scrape.of(nodes.node()).value("quanyi_callback_outbox_pending", Map.of()) >= 1);
    Scrape owed = Scrape.of(nodes.node());
    String parkedPath = "/admin/v1/channels/" + c.id() + "/callbacks/parked";
    Await.until("the callback is parked", Duration.ofSeconds(30), () ->
        nodes.admin().get(parkedPath, TestNodes.ADMIN_TOKEN).json().path("callbacks").size() == 1);
    JsonNode parked = nodes.admin().get(parkedPath, TestNodes.ADMIN_TOKEN).json().path("callbacks").get(0);
    assertEquals(4, parked.path("attempts").asInt(), "once at once, then once after each of the 3 waits");
    assertEquals("answered 500", parked.path("lastError").asText());
    assertEquals(4, receiver.received().size());
    Await.until("parked, it is no longer owed", Duration.ofSeconds(10),
        () -> Scrape.of(nodes.node()).minus(owed, "quanyi_callback_outbox_pending", Map.of()) == -1);
    String alert = "PARKED_CALLBACKS/" + c.id();
    Await.until("the operators are alerted", Duration.ofSeconds(15), () -> alerts().contains(alert));

    receiver.answer(200);
    String eventId = parked.path("eventId").asText();
    assertEquals(200, nodes.admin().post("/admin/v1/channels/" + c.id() + "/callbacks/" + eventId + "/replay",
        TestNodes.ADMIN_TOKEN, "").status());
    Await.until("the replayed callback is acknowledged", Duration.ofSeconds(30), () -> receiver.acknowledged().size() == 1);
    assertEquals(eventId, receiver.acknowledged().get(0).eventId(), "the same event id");
    assertEquals(0, nodes.admin().get(parkedPath, TestNodes.ADMIN_TOKEN).json().path("callbacks").size());
    Await.until("the alert is cleared", Duration.ofSeconds(15), () -> !alerts().contains(alert));
    assertEquals(404, nodes.admin().post("/admin/v1/channels/" + c.id() + "/callbacks/" + eventId + "/replay",
        TestNodes.ADMIN_TOKEN, "").status(), "nothing parked under that id any more");
  }

  private static String alerts() {
    return nodes.admin().get("/admin/v1/alerts", TestNodes.ADMIN_TOKEN).json().path("alerts").toString();
  }

  @Test
  void aTopupIsCalledBackAtEachStatusAtItsOwnCallbackUrl() throws Exception {
    CallbackReceiver channelDefault = receiver();
    CallbackReceiver perOrder = receiver();
    Partners.Channel c = channel(channelDefault.uri("/default").toString());
    TopupFixture.Market market = topups.market(c, 2000);
    SupplierSimulator sim = market.supplier(0);
    String sku = market.skuId();
    String body = """
        {"clientOrderNo": "T-1", "skuId": "%s", "quantity": 1, "buyer": {"userId": "u", "ip": "203.0.113.5"},
         "rechargeAccount": "13800138000", "callbackUrl": "%s"}""".formatted(sku, perOrder.uri("/order-hook"));
    assertEquals(201, Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", body).status());
    Await.until("PROCESSING and DELIVERED called back", Duration.ofSeconds(30), () -> perOrder.acknowledged().size() == 2);
    List<String> statuses = new ArrayList<>();
    for (Received r : perOrder.acknowledged()) {
      statuses.add(JSON.readTree(r.body()).path("status").asText());
      assertSigned(r, c.secret());
    }
    assertTrue(statuses.containsAll(List.of("PROCESSING", "DELIVERED")), statuses.toString());
    assertTrue(channelDefault.received().isEmpty(), "the order's own URL wins over the channel's");
    assertEquals(1, sim.toppedUp().size());
  }

  @Test
  void badCallbackUrlsAreRefused() {
    Partners.Channel c = Partners.channel(nodes.admin(), 10_000);
    String sku = Partners.stockedSku(nodes.admin(), c, 3, 1000);
    for (String bad : List.of("ftp://shop.example/cb", "https://user:pw@shop.example/cb", "/relative")) {
      String body = "{\"clientOrderNo\": \"BAD-1\", \"skuId\": \"" + sku + "\", \"quantity\": 1, "
          + "\"buyer\": {\"userId\": \"u\", \"ip\": \"1.2.3.4\"}, \"callbackUrl\": \"" + bad + "\"}";
      Partners.Reply r = Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", body);
      assertEquals(400, r.status(), bad + " -> " + r.body());
      assertEquals(400, nodes.admin().post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
          "{\"channelId\": \"bad-" + UUID.randomUUID().toString().substring(0, 6) + "\", \"name\": \"x\", \"callbackUrl\": \""
              + bad + "\"}").status());
    }
    assertEquals(10_000, nodes.admin().get("/admin/v1/channels/" + c.id(), TestNodes.ADMIN_TOKEN).json()
        .path("account").path("balance").path("amount").asLong(), "nothing charged");
  }
}
