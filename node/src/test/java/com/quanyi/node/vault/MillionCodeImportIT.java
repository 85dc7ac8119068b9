package com.quanyi.node.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.TestNodes;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 1,000,000-line import, streamed from a generator (the test never holds the file either),
 * into a node whose JVM heap is capped (see the failsafe argLine). Time and peak heap are logged
 * and written to target/million-code-import.txt.
 */
class MillionCodeImportIT {

  private static final Logger log = LoggerFactory.getLogger(MillionCodeImportIT.class);
  private static final int LINES = 1_000_000;

  /** Lines "M-<run>-<n>\n", produced as they are read. */
  static final class GeneratedCsv extends InputStream {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private int next;
    private byte[] line = new byte[0];
    private int offset;

    @Override
    public int read() {
      if (offset == line.length) {
        if (next == LINES) {
          return -1;
        }
        line = ("M-" + run + "-" + next++ + "\n").getBytes(StandardCharsets.US_ASCII);
        offset = 0;
      }
      return line[offset++];
    }

    @Override
    public int read(byte[] buffer, int off, int len) {
      int n = 0;
      while (n < len) {
        int b = read();
        if (b < 0) {
          return n == 0 ? -1 : n;
        }
        buffer[off + n++] = (byte) b;
      }
      return n;
    }
  }

  @Test
  void importsAMillionCodesInBoundedMemory() throws Exception {
    try (Node node = TestNodes.startReady()) {
      HttpTestClient api = new HttpTestClient(node.httpPort());
      String skuId = CodeImportITSupport.createSku(api);
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long started = System.nanoTime();
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.httpPort() + "/admin/v1/skus/" + skuId
                  + "/batches?supplierId=sup-m&unitCost=100"))
          .header("Authorization", "Bearer " + TestNodes.ADMIN_TOKEN)
          .header("Content-Type", "text/csv")
          .timeout(Duration.ofMinutes(15))
          .POST(HttpRequest.BodyPublishers.ofInputStream(GeneratedCsv::new))
          .build(), HttpResponse.BodyHandlers.ofString());
      double seconds = (System.nanoTime() - started) / 1e9;
      long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .mapToLong(p -> p.getPeakUsage().getUsed())
          .sum();
      long maxHeap = Runtime.getRuntime().maxMemory();
      String summary = String.format("1,000,000-line import: %.1f s (%.0f codes/s); peak heap %d MiB (sum of pool peaks) "
          + "of max %d MiB; status %d", seconds, LINES / seconds, peakHeap >> 20, maxHeap >> 20, response.statusCode());
      log.info(summary);
      Files.writeString(Paths.get("target", "million-code-import.txt"), summary + "\n");

      assertEquals(201, response.statusCode(), response.body());
      JsonNode result = new ObjectMapper().readTree(response.body());
      assertEquals(LINES, result.path("accepted").asLong());
      assertEquals(0, result.path("duplicates").asLong());
      assertEquals(LINES, api.get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN).json()
          .path("stock").path("available").asLong());
    }
  }
}
