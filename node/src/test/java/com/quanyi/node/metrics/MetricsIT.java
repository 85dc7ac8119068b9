package com.quanyi.node.metrics;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.Node;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.Scrape;
import com.quanyi.node.testkit.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint scraped around an order load: its order counters move by exactly the
 * answers the channels got, by outcome and refusal reason, and the meters the operators watch
 * (latency, steps, group commit, Cassandra requests, projections, dispatchers, JVM) are there; every
 * partner answer is counted by status, a refusal at the signature check included.
 */
class MetricsIT {

  @Test
  void theOrderCountersEqualTheOrdersPlacedByOutcomeAndReason() throws Exception {
    try (Node node = TestNodes.startReady()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      HttpTestClient management = new HttpTestClient(node.managementPort());
      Channel rich = channel(admin, 1_000_000);
      String scarce = stockedSku(admin, rich, 30, 100);
      Channel poor = channel(admin, 100);
      String plenty = stockedSku(admin, poor, 10, 100);
      Scrape before = Scrape.of(management.get("/metrics", null));

      List<CompletableFuture<Reply>> answers = IntStream.range(0, 40)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> signed(node, rich, "POST", "/api/v1/orders",
              order("M-" + i, scarce))))
          .toList();
      List<Reply> replies = answers.stream().map(CompletableFuture::join).toList();
      long created = replies.stream().filter(r -> r.status() == 201).count();
      String deliveredNo = replies.stream().filter(r -> r.status() == 201).findFirst().orElseThrow()
          .body().path("clientOrderNo").asText();
      for (int i = 0; i < 3; i++) {
        signed(node, poor, "POST", "/api/v1/orders", order("P-" + i, plenty));
      }
      assertEquals(200, signed(node, rich, "POST", "/api/v1/orders", order(deliveredNo, scarce)).status(),
          "a repeat of an order delivered before");
      assertEquals(30, created, "30 codes for 40 orders");
      Channel forged = new Channel(rich.id(), rich.key(), "not-the-secret-of-this-channel");
      assertEquals(401, signed(node, forged, "POST", "/api/v1/orders", order("F-1", scarce)).status(),
          "a forged signature is refused before the order desk");

      HttpTestClient.Response response = management.get("/metrics", null);
      assertTrue(response.contentType().startsWith("text/plain"), response.contentType());
      assertTrue(response.contentType().contains("version=0.0.4"), response.contentType());
      Scrape after = Scrape.of(response);

      assertEquals(31, after.minus(before, "quanyi_orders_total", Map.of("kind", "card", "outcome", "delivered")));
      assertEquals(10, after.minus(before, "quanyi_orders_total", Map.of("outcome", "refused", "reason", "OUT_OF_STOCK")));
      assertEquals(2, after.minus(before, "quanyi_orders_total",
          Map.of("outcome", "refused", "reason", "INSUFFICIENT_BALANCE")));
      assertEquals(1, after.minus(before, "quanyi_orders_total", Map.of("outcome", "repeat")));
      assertEquals(44, after.minus(before, "quanyi_orders_total", Map.of()), "every answer counted once");
      assertEquals(44, after.minus(before, "quanyi_order_seconds_count", Map.of()), "and timed once");
      assertTrue(after.value("quanyi_order_seconds_bucket", Map.of("outcome", "delivered", "le", "+Inf")) >= 31,
          "latency as a histogram");

      // Every partner answer by status, the refusal at the signature check included (the desk never saw it).
      assertEquals(31, after.minus(before, "quanyi_partner_responses_total", Map.of("status", "201")));
      assertEquals(12, after.minus(before, "quanyi_partner_responses_total", Map.of("status", "422")));
      assertEquals(1, after.minus(before, "quanyi_partner_responses_total", Map.of("status", "401")));
      assertTrue(after.has("quanyi_dispatcher_delay_seconds_count"), "dispatcher delay");
      assertTrue(after.value("quanyi_dispatcher_delay_seconds_count", Map.of("dispatcher", "default")) > 0,
          "the default dispatcher is probed");

      assertTrue(after.minus(before, "quanyi_order_step_seconds_count", Map.of("step", "allocate")) >= 31);
      assertTrue(after.minus(before, "quanyi_order_step_seconds_count", Map.of("step", "debit")) >= 31);
      assertTrue(after.minus(before, "quanyi_group_commit_size_sum", Map.of("entity", "inventory")) >= 31,
          "every allocation went through a group");
      assertTrue(after.minus(before, "quanyi_cassandra_requests_total", Map.of("outcome", "answered")) > 0);
      assertTrue(after.has("quanyi_projection_lag_seconds"), "projection lag");
      assertTrue(after.has("quanyi_projection_events_total"), "events applied per projection");
      assertTrue(after.has("jvm_memory_used_bytes") && after.has("jvm_threads_live_threads")
          && after.has("jvm_gc_pause_seconds_count"), "JVM meters");

      // The Grafana dashboard (docker/) charts series this endpoint has; supplier and callback
      // meters exist once a supplier or an outbox is in use, which this load has none of.
      String dashboard = Files.readString(Path.of("..", "docker", "grafana", "dashboards", "quanyi.json"));
      Matcher series = Pattern.compile("\\b((?:quanyi|jvm)_[a-z_]+)").matcher(dashboard);
      int checked = 0;
      while (series.find()) {
        String name = series.group(1);
        if (!name.startsWith("quanyi_supplier_") && !name.startsWith("quanyi_callback_")) {
          assertTrue(after.has(name), "the dashboard charts " + name + ", which the endpoint does not have");
          checked++;
        }
      }
      assertTrue(checked >= 10, "series checked: " + checked);
    }
  }
}
