package com.quanyi.node.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.reporting.Stages;
import com.quanyi.persistence.testkit.TestCassandra;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Exports an order index of N rows (default a million, written straight into its table) as CSV
 * over HTTP, reading as fast as the client can, and prints rows/s, MB/s, the most rows the stream
 * held (read from Cassandra, not yet passed on) and the node's heap after a GC before and at the
 * middle of the export. Args: rows.
 */
public final class ExportBenchmark {

  private ExportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String channel = "ch-export-bench";
    LocalDate day = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    try (Node node = TestNodes.startReady(Map.of())) {
      long seeding = System.nanoTime();
      try (CqlSession session = TestCassandra.get().newSession()) {
        PreparedStatement insert = session.prepare("INSERT INTO quanyi.orders_by_channel (channel_id, day, "
            + "created_at, order_id, client_order_no, sku_id, quantity, status, amount, currency) "
            + "VALUES (?, ?, ?, ?, ?, 'sku-export', 1, 'DELIVERED', 1990, 'CNY')");
        Semaphore inFlight = new Semaphore(512);
        Instant start = Instant.now();
        for (int i = 0; i < rows; i++) {
          inFlight.acquire();
          session.executeAsync(insert.bind(channel, day, start.plusMillis(i), channel + "~X-" + i, "X-" + i))
              .whenComplete((r, f) -> inFlight.release());
        }
        inFlight.acquire(512);
      }
      System.out.printf("seeded %d rows in %.1f s%n", rows, (System.nanoTime() - seeding) / 1e9);
      long heapBefore = heapAfterGc();
      long[] pagedBefore = Stages.pagedRows();
      HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + node.httpPort() + "/admin/v1/reports/orders?from=" + day + "&to=" + day
                  + "&channelId=" + channel + "&format=csv"))
              .header("Authorization", "Bearer " + TestNodes.ADMIN_TOKEN).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      long started = System.nanoTime();
      long bytes = 0;
      long lines = 0;
      long maxHeld = 0;
      long heapMiddle = 0;
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = response.body()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          bytes += n;
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              lines++;
              if (lines % 50_000 == 0) {
                long[] paged = Stages.pagedRows();
                maxHeld = Math.max(maxHeld, (paged[0] - pagedBefore[0]) - (paged[1] - pagedBefore[1]));
                if (lines == rows / 2) {
                  heapMiddle = heapAfterGc();
                }
              }
            }
          }
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("exported %d lines, %.1f MB in %.1f s = %.0f rows/s, %.1f MB/s; the stream held at most %d "
              + "rows; heap after GC: %d MB before, %d MB in the middle of the export%n", lines, bytes / 1e6, seconds,
          lines / seconds, bytes / 1e6 / seconds, maxHeld, heapBefore >> 20, heapMiddle >> 20);
    }
    System.exit(0);
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
