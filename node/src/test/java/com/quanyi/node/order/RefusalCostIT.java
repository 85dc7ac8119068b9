package com.quanyi.node.order;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlSession;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.CassandraCounters;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.testkit.TestCassandra;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A refused order costs nothing durable: sold out, balance short, quota used up, no price, per-buyer
 * limit, each refused many times by concurrent clients, with Cassandra's own per-table counters
 * read before and after. No journal read (no order entity starts and recovers), no journal or tag
 * write, no vault read, no risk decision; only the projections move, polling and catching up on older events.
 */
class RefusalCostIT {

  /** What the node does every second whatever the traffic: projections poll tags and record their offsets and status. */
  private static final Set<String> BACKGROUND = Set.of("read quanyi_journal.tag_views", "write quanyi.offset_store",
      "write quanyi.projection_status", "read quanyi.projection_management", "read quanyi.offset_store",
      "read quanyi_journal.tag_write_progress", "read quanyi_journal.tag_scanning",
      // A nonce registry in use renews its lease every 2.5 s (NonceRegistry), the member notes itself
      // every second (OneCluster): per second, not per request.
      "write quanyi.nonce_leases", "write quanyi.cluster_members");

  /**
   * Tables written only by projections from journal events. A refusal writes no event (the journal's
   * counters prove it), so whatever these do in the window is catching up on events from before it:
   * the set-up, or the earlier tests that share this Cassandra.
   */
  private static final Set<String> PROJECTED = Set.of("order_facts", "order_watermarks", "orders_by_channel", "orders_by_status",
      "orders_by_sku", "sales_lines", "supplier_lines", "supplier_batches", "report_skus", "report_batches",
      "report_channels", "account_entries", "settlement_orders", "commission_entries");

  @Test
  void refusalsCostNoCassandraOperation() throws Exception {
    try (Node node = TestNodes.startReady(); CqlSession cql = TestCassandra.get().newSession()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel rich = channel(admin, 1_000_000);
      String soldOut = stockedSku(admin, rich, 1, 100);
      assertEquals(201, signed(node, rich, "POST", "/api/v1/orders", order("LAST-ONE", soldOut)).status());
      Channel poor = channel(admin, 50);
      String stocked = stockedSku(admin, poor, 50, 100);
      Channel limited = channel(admin, 1_000_000);
      String quota = stockedSku(admin, limited, 50, 100);
      admin.send("PUT", "/admin/v1/channels/" + limited.id() + "/prices/" + quota, TestNodes.ADMIN_TOKEN,
          "application/json", "{\"price\": {\"amount\": 100, \"currency\": \"CNY\"}, \"quota\": 0}".getBytes());
      String limitedPerBuyer = stockedSku(admin, rich, 50, 100);
      admin.send("PATCH", "/admin/v1/skus/" + limitedPerBuyer, TestNodes.ADMIN_TOKEN, "application/json",
          "{\"maxPerBuyer\": 1}".getBytes());
      assertEquals(201, signed(node, rich, "POST", "/api/v1/orders", order("MINE", limitedPerBuyer)).status());
      // Rules that watch buyers, IPs and devices are in force: a sold-out order of a buyer never seen
      // before must still not start (and recover) a risk profile for each of its subjects.
      RiskRules.replace(admin,
          RiskRules.rule("orders", rich.id(), "BUYER", "ORDERS", "MINUTE", 1000, "REJECT", "VELOCITY"),
          RiskRules.rule("farm", rich.id(), "IP", "DISTINCT_BUYERS", "HOUR", 900, "REJECT", "IP_FARM"),
          RiskRules.rule("device", rich.id(), "DEVICE", "DISTINCT_BUYERS", "DAY", 900, "REJECT", "DEVICE_FARM"));
      RiskRules.inForceEverywhere(admin);

      // Every nonce registry of the three keys started (each reads its record once when it starts).
      for (Channel c : List.of(rich, poor, limited)) {
        for (int i = 0; i < 200; i++) {
          assertEquals(200, signed(node, c, "GET", "/api/v1/balance", "").status());
        }
      }
      Map<String, Long> before = CassandraCounters.settled(cql, RefusalCostIT::ignored);
      Map<String, Integer> refusals = new ConcurrentHashMap<>();
      CompletableFuture.allOf(IntStream.range(0, 8).mapToObj(client -> CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 25; i++) {
          String no = "C" + client + "-" + i;
          refusals.merge(code(signed(node, rich, "POST", "/api/v1/orders", RiskRules.order(no, soldOut, 1,
              "new-" + no, "203.0.113." + i, "dev-" + no))), 1, Integer::sum);
          refusals.merge(code(signed(node, poor, "POST", "/api/v1/orders", order(no, stocked))), 1, Integer::sum);
          refusals.merge(code(signed(node, limited, "POST", "/api/v1/orders", order(no, quota))), 1, Integer::sum);
          refusals.merge(code(signed(node, rich, "POST", "/api/v1/orders", order(no, "not-priced"))), 1,
              Integer::sum);
          refusals.merge(code(signed(node, rich, "POST", "/api/v1/orders", order(no, limitedPerBuyer))), 1,
              Integer::sum);
        }
      })).toArray(CompletableFuture[]::new)).join();
      Map<String, Long> after = CassandraCounters.read(cql);

      assertEquals(Map.of("OUT_OF_STOCK", 200, "INSUFFICIENT_BALANCE", 200, "LIMIT_EXCEEDED", 400,
          "SKU_UNAVAILABLE", 200), new TreeMap<>(refusals));
      RiskRules.clear(admin);
      assertEquals(Map.of(), spent(before, after), "Cassandra operations for 1,000 refusals");
    }
  }

  private static Map<String, Long> spent(Map<String, Long> before, Map<String, Long> after) {
    return CassandraCounters.spent(before, after, RefusalCostIT::ignored);
  }

  private static boolean ignored(String table) {
    return BACKGROUND.contains(table) || projected(table);
  }

  private static boolean projected(String table) {
    return (table.startsWith("read quanyi.") || table.startsWith("write quanyi."))
        && PROJECTED.contains(table.substring(table.indexOf('.') + 1));
  }

  private static String code(com.quanyi.node.testkit.Partners.Reply reply) {
    if (reply == null) {
      return "no answer";
    }
    return reply.status() == 422 ? reply.body().path("code").asText() : reply.status() + " " + reply.body();
  }
}
