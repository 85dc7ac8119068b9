package com.quanyi.node.alert;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.CallbackReceiver;
import com.quanyi.node.testkit.CallbackReceiver.Received;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Operator alerts against a real node and a real webhook receiver: the review queue over its
 * threshold and a SKU under its low-stock threshold are raised once each, signed, listed at
 * {@code /admin/v1/alerts}, and cleared once the condition is gone; a notice the receiver refused
 * is sent again with the same event id.
 */
class AlertsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "alert-webhook-secret-0123456789";

  @Test
  void conditionsAreRaisedOnceSignedListedAndCleared() throws Exception {
    try (CallbackReceiver operators = new CallbackReceiver();
        Node node = TestNodes.startReady(Map.of("quanyi.alerts.every", "1s", "quanyi.alerts.review-queue-above", 0,
            "quanyi.alerts.webhook-url", operators.uri("/alerts").toString(), "quanyi.alerts.webhook-secret", SECRET))) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel held = channel(admin, 1_000_000);
      String sku = stockedSku(admin, held, 3, 100);
      admin.send("PATCH", "/admin/v1/skus/" + sku, TestNodes.ADMIN_TOKEN, "application/json",
          "{\"lowStockThreshold\": 5}".getBytes());
      RiskRules.replace(admin, RiskRules.rule("hold", held.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW", "MANUAL_CHECK"));
      RiskRules.inForceEverywhere(admin);
      try {
        // The operators' receiver is down at first: the notices are sent again, same event id.
        operators.answer(503);
        assertEquals("REVIEW", signed(node, held, "POST", "/api/v1/orders", order("A-1", sku)).body()
            .path("status").asText());
        Await.until("a notice refused", Duration.ofSeconds(30), () -> !operators.received().isEmpty());
        operators.answer(200);

        Await.until("both alerts raised", Duration.ofSeconds(30), () -> raised(operators, "REVIEW_QUEUE").size() == 1
            && raised(operators, "LOW_STOCK/" + sku).size() == 1);
        String refused = operators.received().get(0).eventId();
        assertTrue(operators.acknowledged().stream().anyMatch(r -> r.eventId().equals(refused)),
            "the refused notice was taken on a later attempt");
        for (Received notice : operators.received()) {
          String t = notice.signature().substring(2, notice.signature().indexOf(','));
          assertEquals(RequestSignature.webhookHeader(SECRET, Long.parseLong(t),
              notice.body().getBytes(StandardCharsets.UTF_8)), notice.signature(), "signed with the alerts' secret");
        }
        JsonNode listed = admin.get("/admin/v1/alerts", TestNodes.ADMIN_TOKEN).json().path("alerts");
        assertTrue(listed.toString().contains("LOW_STOCK/" + sku), listed.toString());
        assertTrue(listed.toString().contains("\"REVIEW_QUEUE\""), listed.toString());

        assertEquals(200, admin.post("/admin/v1/orders/" + held.id() + "~A-1/approve", TestNodes.ADMIN_TOKEN, "")
            .status());
        Await.until("the review alert cleared", Duration.ofSeconds(30),
            () -> events(operators, "REVIEW_QUEUE", "cleared").size() == 1);
        Thread.sleep(2500);
        assertEquals(1, raised(operators, "REVIEW_QUEUE").size(), "raised once, not at every look");
        assertEquals(1, raised(operators, "LOW_STOCK/" + sku).size());
        assertTrue(admin.get("/admin/v1/alerts", TestNodes.ADMIN_TOKEN).json().path("alerts").toString()
            .contains("LOW_STOCK/" + sku), "still low");
        assertEquals(401, admin.get("/admin/v1/alerts", null).status());
      } finally {
        RiskRules.clear(admin);
      }
    }
  }

  private static List<JsonNode> raised(CallbackReceiver operators, String key) {
    return events(operators, key, "raised");
  }

  /** The notices the receiver took, each event id once. */
  private static List<JsonNode> events(CallbackReceiver operators, String key, String event) {
    return operators.acknowledged().stream().map(r -> {
      try {
        return JSON.readTree(r.body());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(n -> n.path("event").asText().equals(event) && n.path("alert").path("key").asText().equals(key)).toList();
  }
}
