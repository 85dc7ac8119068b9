package com.quanyi.node.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Distributor settlement against a real node and Cassandra: a three-level channel tree, commission
 * by level and by SKU, orders placed concurrently, refunds (asked for many times at once) that
 * reverse exactly what was accrued, a rule change that applies only to later deliveries, and a
 * rebuilt projection that comes to the same statements.
 */
class SettlementIT {

  private static final String ADMIN = TestNodes.ADMIN_TOKEN;
  private static final Duration SETTLE = Duration.ofSeconds(60);

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  @AfterEach
  void noRules() {
    nodes.admin().send("PUT", "/admin/v1/commission/rules", ADMIN, "application/json", "{\"rules\": []}".getBytes());
  }

  @Test
  void commissionAccruesUpThreeLevelsAndIsReversedOnRefund() throws Exception {
    Channel top = Partners.channel(nodes.admin(), 0);
    Channel mid = child(top, 100_000);
    Channel leaf = child(mid, 100_000);
    String general = Partners.stockedSku(nodes.admin(), leaf, 50, 1_000);
    String special = Partners.stockedSku(nodes.admin(), leaf, 50, 2_000);
    price(mid, general, 1_000);
    long version = nodes.admin().get("/admin/v1/commission/rules", ADMIN).json().path("version").asLong();
    Response set = rules(version, """
        {"level": 1, "percentBasisPoints": 1000},
        {"level": 2, "fixedPerUnit": {"amount": 20, "currency": "CNY"}},
        {"level": 1, "skuId": "%s", "percentBasisPoints": 500}""".formatted(special));
    assertEquals(200, set.status(), set.body());

    // leaf: 12 orders of the general SKU (2 units each) and 4 of the special one, 4 clients, each sent twice.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Reply>> sent = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      int n = i % 16;
      String body = n < 12 ? order("G-" + n, general, 2) : order("S-" + n, special, 1);
      sent.add(pool.submit(() -> Partners.signed(nodes.node(), leaf, "POST", "/api/v1/orders", body)));
    }
    for (Future<Reply> reply : sent) {
      assertEquals("DELIVERED", reply.get().body().path("status").asText(), reply.get().body().toString());
    }
    // mid's own order: its parent (top) earns level 1; nobody earns level 2.
    assertEquals("DELIVERED", Partners.signed(nodes.node(), mid, "POST", "/api/v1/orders", order("M-1", general, 1)).body()
        .path("status").asText());

    // 10% of 12 × 2,000 to mid; 5% of 4 × 2,000 to mid; 20/unit × 28 units to top; 10% of 1,000 to top.
    long midAccrued = 12 * 200 + 4 * 100;
    long topAccrued = 28 * 20 + 100;
    Await.until("mid's commission", SETTLE, () -> closing(mid) == midAccrued);
    Await.until("top's commission", SETTLE, () -> closing(top) == topAccrued);
    assertEquals(0, closing(leaf), "nobody is below leaf");

    // Ten operators refund G-0 at once: one refund, one reversal per ancestor.
    List<Future<Response>> refunds = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      refunds.add(pool.submit(() -> nodes.admin().post("/admin/v1/orders/" + leaf.id() + "~G-0/refund", ADMIN,
          "{\"reason\": \"code did not work\"}")));
    }
    for (Future<Response> refund : refunds) {
      assertEquals(200, refund.get().status(), refund.get().body());
      assertEquals("REFUNDED", refund.get().json().path("status").asText());
    }
    pool.shutdown();
    JsonNode account = Partners.account(nodes.admin(), leaf);
    assertEquals(12 * 2_000 + 4 * 2_000 - 2_000, account.path("debited").path("amount").asLong()
        - account.path("refunded").path("amount").asLong(), "refunded once");
    Await.until("the reversals", SETTLE, () -> closing(mid) == midAccrued - 200 && closing(top) == topAccrued - 40);
    JsonNode statement = statement(mid, "day");
    assertEquals(midAccrued, statement.path("accruals").asLong());
    assertEquals(200, statement.path("reversals").asLong());
    assertEquals(0, statement.path("opening").asLong());
    for (String period : List.of("week", "month")) {
      assertEquals(midAccrued - 200, statement(mid, period).path("closing").asLong(), period);
    }
    String csv = nodes.admin().get("/admin/v1/reports/settlements/" + mid.id() + "?" + range() + "&format=csv", ADMIN).body();
    assertEquals(1 + 16 + 1, csv.split("\r\n").length, "a header, 16 accruals, 1 reversal");
    assertEquals(400, nodes.admin().post("/admin/v1/orders/" + leaf.id() + "~G-0/refund", ADMIN, "{}").status());
    assertEquals(400, nodes.admin().post("/admin/v1/orders/" + leaf.id() + "~G-0/refund", ADMIN,
        "{\"reason\": 5}").status());

    // A new version applies to orders delivered from now on; the earlier accruals stand.
    long current = nodes.admin().get("/admin/v1/commission/rules", ADMIN).json().path("version").asLong();
    assertEquals(409, rules(current - 1, "{\"level\": 1, \"percentBasisPoints\": 100}").status());
    assertEquals(200, rules(current, "{\"level\": 1, \"percentBasisPoints\": 100}").status());
    Partners.signed(nodes.node(), leaf, "POST", "/api/v1/orders", order("G-late", general, 1));
    Await.until("the late order's 1%", SETTLE, () -> closing(mid) == midAccrued - 200 + 10);
    assertEquals(topAccrued - 40, closing(top), "level 2 has no rule in the new version");

    // Rebuilt from zero, by the versions in force at each delivery: the same statements.
    JsonNode before = statement(mid, "day");
    assertEquals(200, nodes.admin().post("/admin/v1/projections/settlement/rebuild", ADMIN, "{}").status());
    Await.until("the rebuilt statement", SETTLE, () -> statement(mid, "day").equals(before));
    // top's orders may sit on another tag, whose instance rebuilds on its own time.
    Await.until("top's rebuilt balance", SETTLE, () -> closing(top) == topAccrued - 40);
  }

  @Test
  void invalidCommissionRulesChangeNothing() {
    long version = nodes.admin().get("/admin/v1/commission/rules", ADMIN).json().path("version").asLong();
    for (String rule : List.of("{\"level\": 3, \"percentBasisPoints\": 10}", "{\"level\": 0, \"percentBasisPoints\": 10}",
        "{\"level\": 1, \"percentBasisPoints\": 10001}", "{\"level\": 1, \"percentBasisPoints\": -1}",
        "{\"level\": 1}", "{\"level\": 1, \"percentBasisPoints\": 5, \"fixedPerUnit\": {\"amount\": 1, \"currency\": \"CNY\"}}",
        "{\"level\": 1, \"fixedPerUnit\": {\"amount\": -1, \"currency\": \"CNY\"}}",
        "{\"level\": 1, \"percentBasisPoints\": 5}, {\"level\": 1, \"percentBasisPoints\": 6}",
        "{\"level\": \"one\", \"percentBasisPoints\": 5}")) {
      Response response = rules(version, rule);
      assertEquals(400, response.status(), rule + " " + response.body());
      assertEquals("INVALID_REQUEST", response.problemCode());
    }
    assertEquals(400, nodes.admin().send("PUT", "/admin/v1/commission/rules", ADMIN, "application/json", "{".getBytes())
        .status());
    assertEquals(version, nodes.admin().get("/admin/v1/commission/rules", ADMIN).json().path("version").asLong());
    assertEquals(400, nodes.admin().get("/admin/v1/reports/settlements/x?" + range() + "&period=year", ADMIN).status());
  }

  private static Channel child(Channel parent, long deposit) {
    String id = "ch-" + UUID.randomUUID();
    JsonNode created = nodes.admin().post("/admin/v1/channels", ADMIN, "{\"channelId\": \"" + id
        + "\", \"name\": \"Sub\", \"parentChannelId\": \"" + parent.id() + "\"}").json();
    nodes.admin().post("/admin/v1/channels/" + id + "/deposits", ADMIN,
        "{\"amount\": {\"amount\": " + deposit + ", \"currency\": \"CNY\"}, \"reference\": \"d1\"}");
    return new Channel(id, created.path("apiKey").asText(), created.path("apiSecret").asText());
  }

  private static void price(Channel c, String sku, long price) {
    nodes.admin().send("PUT", "/admin/v1/channels/" + c.id() + "/prices/" + sku, ADMIN, "application/json",
        ("{\"price\": {\"amount\": " + price + ", \"currency\": \"CNY\"}}").getBytes());
  }

  private static Response rules(long expectedVersion, String rules) {
    return nodes.admin().send("PUT", "/admin/v1/commission/rules", ADMIN, "application/json",
        ("{\"expectedVersion\": " + expectedVersion + ", \"rules\": [" + rules + "]}").getBytes());
  }

  private static String order(String no, String sku, int quantity) {
    return "{\"clientOrderNo\": \"" + no + "\", \"skuId\": \"" + sku + "\", \"quantity\": " + quantity
        + ", \"buyer\": {\"userId\": \"u-" + no + "\", \"ip\": \"198.51.100.9\"}}";
  }

  private static String range() {
    LocalDate day = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    return "from=" + day.minusDays(1) + "&to=" + day.plusDays(1);
  }

  private static JsonNode statement(Channel c, String period) {
    return nodes.admin().get("/admin/v1/reports/settlements/" + c.id() + "?" + range() + "&period=" + period, ADMIN).json();
  }

  private static long closing(Channel c) {
    return statement(c, "day").path("closing").asLong();
  }
}
