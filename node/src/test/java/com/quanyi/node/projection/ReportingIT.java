package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.CassandraCounters;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.reporting.Stages;
import com.quanyi.persistence.testkit.TestCassandra;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reporting projections against a real node and Cassandra: reports equal a recomputation from
 * the orders this test placed (concurrently, with retries, refunds), a paused projection catches
 * up, a rebuilt one converges to the same tables, and an export streams in bounded memory.
 */
class ReportingIT {

  private static final String ADMIN = TestNodes.ADMIN_TOKEN;
  private static final Duration SETTLE = Duration.ofSeconds(60);

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  private static String today() {
    return LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
  }

  private static String range() {
    LocalDate day = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    return "from=" + day.minusDays(1) + "&to=" + day.plusDays(1);
  }

  @Test
  void reportsEqualTheOrdersPlacedAndConvergeAfterPauseAndRebuild() throws Exception {
    long price = 700;
    Channel c = Partners.channel(nodes.admin(), 100_000);
    String sku = Partners.stockedSku(nodes.admin(), c, 100, price);
    int orders = 30;
    // 30 orders from 6 clients, every one sent twice: the reports count each once.
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Reply>> sent = new ArrayList<>();
    for (int i = 0; i < orders * 2; i++) {
      String no = "R-" + (i % orders);
      sent.add(pool.submit(() -> Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order(no, sku))));
    }
    for (Future<Reply> reply : sent) {
      assertTrue(reply.get().status() == 200 || reply.get().status() == 201, reply.get().body().toString());
    }
    pool.shutdown();
    // Three held for review: two rejected (refunded), one approved (delivered).
    try {
      RiskRules.replace(nodes.admin(), RiskRules.rule("hold", c.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW", "MANUAL_CHECK"));
      for (String no : List.of("H-1", "H-2", "H-3")) {
        assertEquals("REVIEW", Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order(no, sku)).body()
            .path("status").asText());
      }
    } finally {
      RiskRules.clear(nodes.admin());
    }
    assertEquals(200, nodes.admin().post("/admin/v1/orders/" + c.id() + "~H-1/reject", ADMIN, "{}").status());
    assertEquals(200, nodes.admin().post("/admin/v1/orders/" + c.id() + "~H-2/reject", ADMIN, "{}").status());
    assertEquals(200, nodes.admin().post("/admin/v1/orders/" + c.id() + "~H-3/approve", ADMIN, "{}").status());

    // Recomputed from what was placed: 33 charged, 31 delivered (unit cost 1), 2 refunded.
    String expected = "33/31/" + 33 * price + "/31/" + 2 * price + "/2/" + (33 * price - 2 * price - 31);
    String salesPath = "/admin/v1/reports/sales?" + range() + "&groupBy=sku,channel&channelId=" + c.id();
    Await.until("the sales ledger", SETTLE, () -> expected.equals(salesLine(salesPath)));
    long balance = Partners.account(nodes.admin(), c).path("balance").path("amount").asLong();
    assertEquals(100_000 - 31 * price, balance);
    String statement = "/admin/v1/reports/accounts/" + c.id() + "/statement?" + range();
    Await.until("the account statement", SETTLE, () -> nodes.admin().get(statement, ADMIN).json().path("closing").asLong()
        == balance);
    JsonNode summary = nodes.admin().get(statement, ADMIN).json();
    assertEquals(100_000, summary.path("deposits").asLong());
    assertEquals(33 * price, summary.path("debits").asLong());
    assertEquals(2 * price, summary.path("refunds").asLong());
    assertEquals(36, summary.path("entries").asLong(), "1 deposit, 33 debits, 2 refunds");
    Await.until("the inventory view", SETTLE, () -> inventoryAllocated(sku) == 31);

    JsonNode imported = nodes.admin().get("/admin/v1/reports/suppliers?" + range() + "&supplierId=s", ADMIN).json();
    boolean batchListed = false;
    for (JsonNode batch : imported.path("batchesImported")) {
      if (batch.path("skuId").asText().equals(sku)) {
        assertEquals(100, batch.path("units").asLong());
        assertEquals(1, batch.path("unitCost").asLong());
        batchListed = true;
      }
    }
    assertTrue(batchListed, "the code batch is on supplier s's statement");

    JsonNode byChannel = nodes.admin().get("/admin/v1/reports/orders?" + range() + "&channelId=" + c.id() + "&limit=20", ADMIN)
        .json();
    assertEquals(20, byChannel.path("rows").size());
    JsonNode rest = nodes.admin().get("/admin/v1/reports/orders?" + range() + "&channelId=" + c.id() + "&limit=20&after="
        + byChannel.path("next").asText(), ADMIN).json();
    assertEquals(13, rest.path("rows").size(), "33 orders over two pages");
    String csv = nodes.admin().get("/admin/v1/reports/orders?" + range() + "&channelId=" + c.id() + "&format=csv", ADMIN).body();
    assertEquals(34, csv.split("\r\n").length, "a header and 33 orders");
    JsonNode failed = nodes.admin().get("/admin/v1/reports/orders?" + range() + "&status=FAILED&limit=1000", ADMIN).json();
    long ours = 0;
    for (JsonNode row : failed.path("rows")) {
      ours += row.path("channelId").asText().equals(c.id()) ? 1 : 0;
    }
    assertEquals(2, ours);

    JsonNode check = nodes.admin().get("/admin/v1/reports/ledger-check", ADMIN).json();
    for (JsonNode difference : check.path("differences")) {
      assertTrue(!difference.path("id").asText().equals(c.id()) && !difference.path("id").asText().equals(sku),
          difference.toString());
    }

    // Paused, the statement stands still; resumed, it catches up.
    assertEquals(200, nodes.admin().post("/admin/v1/projections/accounts/pause", ADMIN, "{}").status());
    Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order("P-1", sku));
    Thread.sleep(4000);
    assertEquals(36, nodes.admin().get(statement, ADMIN).json().path("entries").asLong());
    assertEquals(200, nodes.admin().post("/admin/v1/projections/accounts/resume", ADMIN, "{}").status());
    Await.until("the statement after resume", SETTLE, () -> nodes.admin().get(statement, ADMIN).json().path("entries")
        .asLong() == 37);

    // Rebuilt from zero: the same numbers.
    String after = "34/32/" + 34 * price + "/32/" + 2 * price + "/2/" + (34 * price - 2 * price - 32);
    Await.until("the sales ledger with P-1", SETTLE, () -> after.equals(salesLine(salesPath)));
    assertEquals(200, nodes.admin().post("/admin/v1/projections/sales/rebuild", ADMIN, "{}").status());
    Await.until("the rebuilt sales ledger", SETTLE, () -> after.equals(salesLine(salesPath)));
    // Replayed from the start over its own tables (offsets cleared, tables kept): nothing counts twice.
    String index = nodes.admin().get("/admin/v1/reports/orders?" + range() + "&channelId=" + c.id() + "&format=csv", ADMIN)
        .body();
    long applied = eventsApplied("sales");
    assertEquals(200, nodes.admin().post("/admin/v1/projections/sales/pause", ADMIN, "{}").status());
    try (CqlSession session = TestCassandra.get().newSession()) {
      for (var row : session.execute("SELECT projection_name, partition, projection_key FROM quanyi.offset_store")) {
        if (row.getString("projection_name").equals("sales")) {
          session.execute("DELETE FROM quanyi.offset_store WHERE projection_name = ? AND partition = ? "
              + "AND projection_key = ?", "sales", row.getInt("partition"), row.getString("projection_key"));
        }
      }
    }
    assertEquals(200, nodes.admin().post("/admin/v1/projections/sales/resume", ADMIN, "{}").status());
    Await.until("the replay", SETTLE, () -> eventsApplied("sales") >= applied + 37);
    // Finished when no event was applied for 3 s (instances report once a second).
    Await.until("the replay to finish", SETTLE, () -> {
      long before = eventsApplied("sales");
      sleep(3_000);
      return eventsApplied("sales") == before;
    });
    assertEquals(after, salesLine(salesPath));
    assertEquals(index, nodes.admin().get("/admin/v1/reports/orders?" + range() + "&channelId=" + c.id() + "&format=csv",
        ADMIN).body());
    JsonNode projections = nodes.admin().get("/admin/v1/projections", ADMIN).json().path("projections");
    assertEquals(5, projections.size(), "sales, inventory, accounts, settlement, codes");
  }

  /**
   * A new order's acceptance is applied without reading its facts (the tag's watermark says it is
   * new): 40 orders from 8 clients reach the sales ledger while Cassandra counts no read of
   * {@code order_facts}.
   */
  @Test
  void newOrdersReachTheSalesLedgerWithoutAReadOfTheirFacts() throws Exception {
    Channel c = Partners.channel(nodes.admin(), 100_000);
    String sku = Partners.stockedSku(nodes.admin(), c, 40, 100);
    String salesPath = "/admin/v1/reports/sales?" + range() + "&groupBy=sku,channel&channelId=" + c.id();
    try (CqlSession cql = TestCassandra.get().newSession()) {
      // Once no fact is being read: a projection restarted by an earlier test (pause, rebuild)
      // reads its last minute again (TagSource), facts included.
      Map<String, Long> before = CassandraCounters.settled(cql, counter -> !counter.equals("read quanyi.order_facts"));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Reply>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String no = "W-" + i;
        sent.add(pool.submit(() -> Partners.signed(nodes.node(), c, "POST", "/api/v1/orders", Partners.order(no, sku))));
      }
      for (Future<Reply> reply : sent) {
        assertEquals(201, reply.get().status(), reply.get().body().toString());
      }
      pool.shutdown();
      Await.until("the sales ledger", SETTLE, () -> ("40/40/4000/40/0/0/" + (4000 - 40)).equals(salesLine(salesPath)));
      Map<String, Long> spent = CassandraCounters.spent(before, CassandraCounters.read(cql), t -> false);
      assertTrue(spent.getOrDefault("write quanyi.order_facts", 0L) >= 40, spent.toString());
      assertEquals(0L, spent.getOrDefault("read quanyi.order_facts", 0L), spent.toString());
    }
  }

  @Test
  void badReportRequestsAreTypedProblems() {
    for (String path : List.of("/admin/v1/reports/sales", "/admin/v1/reports/sales?from=2026-13-01&to=2026-11-02",
        "/admin/v1/reports/sales?from=2026-11-02&to=2026-11-01", "/admin/v1/reports/sales?from=2025-01-01&to=2026-11-01",
        "/admin/v1/reports/sales?" + range() + "&groupBy=week", "/admin/v1/reports/orders?" + range(),
        "/admin/v1/reports/orders?" + range() + "&channelId=a&skuId=b", "/admin/v1/reports/orders?" + range()
            + "&status=LOST", "/admin/v1/reports/orders?" + range() + "&channelId=a&limit=0",
        "/admin/v1/reports/orders?" + range() + "&channelId=a&after=%25%25", "/admin/v1/reports/sales?" + range()
            + "&format=xml")) {
      HttpTestClient.Response response = nodes.admin().get(path, ADMIN);
      assertEquals(400, response.status(), path + " " + response.body());
      assertEquals("INVALID_REQUEST", response.problemCode(), path);
    }
    assertEquals(401, nodes.admin().get("/admin/v1/reports/sales?" + range(), null).status());
    assertEquals(404, nodes.admin().post("/admin/v1/projections/nope/pause", ADMIN, "{}").status());
    assertEquals(404, nodes.admin().post("/admin/v1/projections/sales/explode", ADMIN, "{}").status());
  }

  /**
   * 60,000 index rows exported to a client that reads slowly: the server holds at most two pages
   * (rows read from Cassandra and not yet passed on to the response), not the export.
   */
  @Test
  void aLargeExportStreamsInBoundedMemory() throws Exception {
    String channel = "ch-export-" + System.nanoTime();
    int rows = 60_000;
    LocalDate day = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    try (CqlSession session = TestCassandra.get().newSession()) {
      PreparedStatement insert = session.prepare("INSERT INTO quanyi.orders_by_channel (channel_id, day, created_at, "
          + "order_id, client_order_no, sku_id, quantity, status, amount, currency) VALUES (?, ?, ?, ?, ?, ?, 1, "
          + "'DELIVERED', 100, 'CNY')");
      Semaphore inFlight = new Semaphore(256);
      Instant start = Instant.now();
      for (int i = 0; i < rows; i++) {
        inFlight.acquire();
        session.executeAsync(insert.bind(channel, day, start.plusMillis(i), channel + "~E-" + i, "E-" + i + PADDING,
                "sku-e"))
            .whenComplete((r, f) -> inFlight.release());
      }
      inFlight.acquire(256);
    }
    // A raw HTTP/1.0 client with a small receive buffer: what the kernel can hold in flight stays
    // small (on loopback it otherwise grows to megabytes), so rows read ahead are the server's own.
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(8 * 1024);
      socket.connect(new InetSocketAddress("127.0.0.1", nodes.node().httpPort()));
      socket.getOutputStream().write(("GET /admin/v1/reports/orders?from=" + day + "&to=" + day + "&channelId="
          + channel + "&format=csv HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ADMIN + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.UTF_8), 8 * 1024);
      String status = reader.readLine();
      assertTrue(status.contains(" 200 "), status);
      String header;
      boolean sized = false;
      while (!(header = reader.readLine()).isEmpty()) {
        sized |= header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length");
      }
      assertTrue(!sized, "streamed, not buffered to a known length");
      long[] before = Stages.pagedRows();
      long lines = 0;
      long lineBytes = 0;
      long maxHeld = 0;
      long maxAhead = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        lines++;
        lineBytes = Math.max(lineBytes, line.length() + 2);
        if (lines % 5_000 == 0) {
          Thread.sleep(300);
          long[] paged = Stages.pagedRows();
          maxHeld = Math.max(maxHeld, paged[0] - paged[1]);
          maxAhead = Math.max(maxAhead, paged[0] - before[0] - lines);
        }
      }
      assertEquals(rows + 1, lines, "a header and every row");
      // Beyond two pages in the stream, only the kernel's socket buffers may hold rows read ahead.
      long kernel = (sendBufferMax() + 64 * 1024) / lineBytes;
      System.out.println("export: " + lines + " lines of " + lineBytes + " bytes; read and not passed on: at most "
          + maxHeld + " rows; read ahead of the client: at most " + maxAhead + " (socket buffers hold " + kernel + ")");
      assertTrue(maxHeld <= 2 * ReportingDesk.EXPORT_PAGE, "held " + maxHeld + " rows: more than two pages");
      assertTrue(maxAhead <= 2 * ReportingDesk.EXPORT_PAGE + kernel + 100, "read " + maxAhead + " rows ahead");
      assertTrue(2 * ReportingDesk.EXPORT_PAGE + kernel + 100 < rows / 2, "the bound means something");
    }
  }

  private static String salesLine(String path) {
    JsonNode lines = nodes.admin().get(path, ADMIN).json().path("lines");
    if (lines.size() != 1) {
      return null;
    }
    JsonNode l = lines.get(0);
    return l.path("orders").asLong() + "/" + l.path("units").asLong() + "/" + l.path("revenue").asLong() + "/"
        + l.path("cost").asLong() + "/" + l.path("refunds").asLong() + "/" + l.path("refundedOrders").asLong() + "/"
        + l.path("margin").asLong();
  }

  /** Rows this long make the kernel's share of the read-ahead small next to the export. */
  private static final String PADDING = "-" + "x".repeat(400);

  /** The most a socket's send buffer grows to (Linux: the last of tcp_wmem), else 4 MiB. */
  private static long sendBufferMax() {
    try {
      String[] wmem = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim()
          .split("\\s+");
      return Long.parseLong(wmem[2]);
    } catch (java.io.IOException | RuntimeException unknown) {
      return 4L << 20;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Events the projection's instances applied since their nodes started. */
  private static long eventsApplied(String projection) {
    for (JsonNode p : nodes.admin().get("/admin/v1/projections", ADMIN).json().path("projections")) {
      if (p.path("name").asText().equals(projection)) {
        long events = 0;
        for (JsonNode instance : p.path("instances")) {
          events += instance.path("events").asLong();
        }
        return events;
      }
    }
    return -1;
  }

  private static long inventoryAllocated(String sku) {
    for (JsonNode s : nodes.admin().get("/admin/v1/reports/inventory", ADMIN).json().path("skus")) {
      if (s.path("skuId").asText().equals(sku)) {
        return s.path("allocated").asLong();
      }
    }
    return -1;
  }
}
