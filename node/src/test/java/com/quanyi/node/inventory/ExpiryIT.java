package com.quanyi.node.inventory;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.Books;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

/**
 * Codes past their {@code expiresAt} are never sold: a batch whose codes expire in two stretches,
 * with codes that never expire between them, sells the expiring ones only while they are more than
 * the margin from expiry; afterwards a crowd of buyers gets exactly the codes that do not expire,
 * and the batch counts what expired unsold, in the inventory and in the report.
 */
class ExpiryIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one(Map.of("quanyi.inventory.expiry-margin", "2s"));

  private static final ExecutorService BUYERS = Executors.newFixedThreadPool(20);

  @AfterAll
  static void stopBuyers() {
    BUYERS.shutdownNow();
  }

  @Test
  void codesPastTheirExpiryAreNeverSoldAndAreCountedPerBatch() {
    HttpTestClient admin = nodes.admin();
    Channel shop = channel(admin, 100_000);
    String sku = "exp-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Cinema ticket", "kind": "CARD_CODE", "faceValue": {"amount": 4000, "currency": "CNY"},
         "listPrice": {"amount": 3800, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(sku)).status());
    // Expiring in 8 s, within the 2 s margin from 6 s on: positions 0-9 and 20-29; 10-19 never expire.
    Instant soon = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    List<String> lines = new ArrayList<>(List.of("code,expiresAt"));
    IntStream.range(0, 10).forEach(i -> lines.add("SOON-" + sku + "-" + i + "," + soon));
    IntStream.range(0, 10).forEach(i -> lines.add("LATER-" + sku + "-" + i));
    IntStream.range(0, 10).forEach(i -> lines.add("SOON2-" + sku + "-" + i + "," + soon));
    HttpTestClient.Response imported = admin.send("POST", "/admin/v1/skus/" + sku + "/batches?supplierId=s&unitCost=10",
        TestNodes.ADMIN_TOKEN, "text/csv", String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    assertEquals(201, imported.status(), imported.body());
    String batch = imported.json().path("batchId").asText();
    admin.send("PUT", "/admin/v1/channels/" + shop.id() + "/prices/" + sku, TestNodes.ADMIN_TOKEN, "application/json",
        "{\"price\": {\"amount\": 100, \"currency\": \"CNY\"}}".getBytes());

    // Before the margin: the expiring codes sell, first in line.
    Reply early = order(shop, sku, "E-1", 5);
    assertEquals(201, early.status(), early.body().toString());
    early.body().path("codes").forEach(c -> assertTrue(c.path("code").asText().startsWith("SOON-"), c.toString()));
    assertTrue(Instant.now().isBefore(soon.minusSeconds(2)), "the early order was placed before the margin");

    // From the margin on, the expiring codes leave the stock (a reconcile tick, with no order needed).
    Await.until("the expiring codes left the stock", Duration.ofSeconds(30),
        () -> stock(admin, sku).path("available").asLong() == 10);
    JsonNode counts = admin.get("/admin/v1/skus/" + sku + "/batches/" + batch, TestNodes.ADMIN_TOKEN).json();
    assertEquals(15, counts.path("expired").asLong(), counts.toString());
    assertEquals(5, counts.path("allocated").asLong());
    assertEquals(10, counts.path("available").asLong());

    List<CompletableFuture<Reply>> crowd = IntStream.range(0, 20).mapToObj(i -> CompletableFuture.supplyAsync(
        () -> order(shop, sku, "C-" + i, 1), BUYERS)).toList();
    List<String> sold = new ArrayList<>();
    int refused = 0;
    for (CompletableFuture<Reply> attempt : crowd) {
      Reply reply = attempt.join();
      if (reply.status() == 201) {
        sold.add(reply.body().path("codes").get(0).path("code").asText());
      } else {
        assertEquals("OUT_OF_STOCK", reply.body().path("code").asText(), reply.body().toString());
        refused++;
      }
    }
    assertEquals(10, sold.size(), "exactly the codes that do not expire: " + sold);
    assertEquals(10, refused);
    assertTrue(sold.stream().allMatch(code -> code.startsWith("LATER-")), "never an expired code: " + sold);
    assertEquals(10, sold.stream().distinct().count());

    Await.until("the inventory report counts the expired codes", Duration.ofSeconds(30), () -> {
      for (JsonNode s : admin.get("/admin/v1/reports/inventory", TestNodes.ADMIN_TOKEN).json().path("skus")) {
        if (s.path("skuId").asText().equals(sku)) {
          JsonNode b = s.path("batches").get(0);
          return s.path("available").asLong() == 0 && b.path("expired").asLong() == 15
              && b.path("allocated").asLong() == 15;
        }
      }
      return false;
    });
    String csv = admin.get("/admin/v1/reports/inventory?format=csv", TestNodes.ADMIN_TOKEN).body();
    assertTrue(csv.lines().findFirst().orElse("").contains(",expired,"), csv.lines().findFirst().orElse(""));
    Await.until("the ledger check agrees", Duration.ofSeconds(30), () -> Books.ledgerClean(admin, shop, sku));
    assertEquals(100_000 - 15 * 100, Partners.account(admin, shop).path("balance").path("amount").asLong());
  }

  private static Reply order(Channel shop, String sku, String no, int quantity) {
    return signed(nodes.node(), shop, "POST", "/api/v1/orders", "{\"clientOrderNo\": \"" + no + "\", \"skuId\": \""
        + sku + "\", \"quantity\": " + quantity + ", \"buyer\": {\"userId\": \"u-" + no
        + "\", \"ip\": \"198.51.100.4\"}}");
  }
}
