package com.quanyi.node.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.testkit.TestCassandra;
import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.RevealedCode;
import com.quanyi.persistence.vault.VaultKeysLoader;
import com.quanyi.protocol.inventory.SlotRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Code imports over HTTP into the real vault: dedupe, bad lines, races, encryption, and no code in any log. */
class CodeImportIT {

  private static final String ADMIN = TestNodes.ADMIN_TOKEN;

  // Small chunks, so that racing imports interleave chunk by chunk.
  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one(java.util.Map.of("quanyi.vault.import-chunk-size", 500));

  static String sku(String kind) {
    String skuId = "sku-" + UUID.randomUUID();
    Response created = nodes.admin().post("/admin/v1/skus", ADMIN, """
        {"skuId": "%s", "name": "Game points 500", "kind": "%s",
         "faceValue": {"amount": 5000, "currency": "CNY"}, "listPrice": {"amount": 4800, "currency": "CNY"},
         "riskLevel": "MEDIUM"}""".formatted(skuId, kind));
    assertEquals(201, created.status(), created.body());
    return skuId;
  }

  static Response importCsv(String skuId, String csv) {
    return nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=sup-a&unitCost=4500", ADMIN, "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> codes(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i + "-" + UUID.randomUUID()).toList();
  }

  @Test
  void duplicatesInAFileAndAcrossBatchesAndBadLinesAreReportedNotImported() {
    String skuId = sku("CARD_CODE");
    List<String> first = codes("GP", 50);
    String csv = "code,expiresAt\n" + String.join("\n", first) + "\n" + first.get(3).toLowerCase() + "\n\n"
        + "X".repeat(300) + "\n" + "VALID-BUT-EXPIRED,2001-01-01\n";
    JsonNode result = importCsv(skuId, csv).json();
    assertEquals(50, result.path("accepted").asLong());
    assertEquals(1, result.path("duplicates").asLong());
    assertEquals(3, result.path("invalidCount").asLong());
    assertEquals(List.of("empty line", "code longer than 256 characters", "already expired"),
        toList(result.path("invalid"), "reason"));
    assertEquals(List.of(53L, 54L, 55L), toList(result.path("invalid"), "line").stream().map(Long::parseLong).toList());

    List<String> second = new ArrayList<>(codes("GP2", 10));
    second.add(first.get(0));
    second.add(first.get(49).replace("-", " "));
    JsonNode again = importCsv(skuId, String.join("\n", second)).json();
    assertEquals(10, again.path("accepted").asLong());
    assertEquals(2, again.path("duplicates").asLong(), "codes already in the vault are refused, whatever the spelling");

    JsonNode sku = nodes.admin().get("/admin/v1/skus/" + skuId, ADMIN).json();
    assertEquals(60, sku.path("stock").path("available").asLong());
    Response batch = nodes.admin().get("/admin/v1/skus/" + skuId + "/batches/" + result.path("batchId").asText(), ADMIN);
    assertEquals(200, batch.status());
    assertEquals(50, batch.json().path("accepted").asLong());
    assertEquals(4500, batch.json().path("unitCost").path("amount").asLong());
  }

  @Test
  void importedCodesAreEncryptedAndDecryptInOrderWithTheNodesKeys() {
    String skuId = sku("CARD_CODE");
    List<String> codes = codes("ENC", 20);
    String batchId = importCsv(skuId, String.join("\n", codes)).json().path("batchId").asText();
    try (CqlSession session = TestCassandra.get().newSession()) {
      CodeVault vault = new CodeVault(session, TestCassandra.KEYSPACE,
          VaultKeysLoader.fromFile(Paths.get("target/test-vault.keys")), Clock.systemUTC());
      List<RevealedCode> revealed = vault.reveal(skuId, List.of(new SlotRange(batchId, 0, 20)))
          .toCompletableFuture().join();
      assertEquals(codes, revealed.stream().map(RevealedCode::code).toList());
      session.execute("SELECT ciphertext FROM quanyi.vault_codes WHERE sku_id = ? AND batch_id = ? AND bucket = 0",
          skuId, batchId).forEach(row -> assertFalse(StandardCharsets.ISO_8859_1.decode(row.getByteBuffer(0)).toString()
          .contains("ENC-")));
    }
  }

  @Test
  void racingImportsOfTheSameCodesAcceptEachCodeOnce() {
    String skuA = sku("CARD_CODE");
    String skuB = sku("CARD_CODE");
    List<String> shared = codes("RACE", 3000);
    List<CompletableFuture<JsonNode>> imports = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String target = i % 2 == 0 ? skuA : skuB;
      List<String> mine = new ArrayList<>(shared);
      java.util.Collections.shuffle(mine, new java.util.Random(i));
      imports.add(CompletableFuture.supplyAsync(() -> importCsv(target, String.join("\n", mine)).json()));
    }
    long accepted = imports.stream().map(CompletableFuture::join).mapToLong(r -> r.path("accepted").asLong()).sum();
    long duplicates = imports.stream().map(CompletableFuture::join).mapToLong(r -> r.path("duplicates").asLong()).sum();
    assertEquals(3000, accepted, "each code enters the vault once across concurrent imports and SKUs");
    assertEquals(3 * 3000, duplicates);
    long available = nodes.admin().get("/admin/v1/skus/" + skuA, ADMIN).json().path("stock").path("available").asLong()
        + nodes.admin().get("/admin/v1/skus/" + skuB, ADMIN).json().path("stock").path("available").asLong();
    assertEquals(3000, available);
  }

  @Test
  void freezingABatchTakesItsUnitsOutOfStockAtOnce() {
    String skuId = sku("CARD_CODE");
    String keep = importCsv(skuId, String.join("\n", codes("KEEP", 5))).json().path("batchId").asText();
    String leak = importCsv(skuId, String.join("\n", codes("LEAK", 7))).json().path("batchId").asText();
    Response frozen = nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches/" + leak + "/freeze", ADMIN, null, new byte[0]);
    assertEquals(200, frozen.status(), frozen.body());
    assertTrue(frozen.json().path("frozen").asBoolean());
    JsonNode stock = nodes.admin().get("/admin/v1/skus/" + skuId, ADMIN).json().path("stock");
    assertEquals(5, stock.path("available").asLong());
    assertEquals(7, stock.path("frozen").asLong());
    nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches/" + leak + "/unfreeze", ADMIN, null, new byte[0]);
    assertEquals(12, nodes.admin().get("/admin/v1/skus/" + skuId, ADMIN).json().path("stock").path("available").asLong());
    assertEquals(404, nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches/no-such/freeze", ADMIN, null, new byte[0])
        .status());
    assertFalse(keep.isEmpty());
  }

  @Test
  void badImportRequestsChangeNothing() {
    String skuId = sku("CARD_CODE");
    String topup = sku("DIRECT_TOPUP");
    String csv = String.join("\n", codes("BAD", 3));
    assertEquals("NOT_FOUND", importCsv("no-such-sku", csv).problemCode());
    assertEquals("SKU_UNAVAILABLE", importCsv(topup, csv).problemCode());
    assertEquals("UNSUPPORTED_MEDIA_TYPE", nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1",
        ADMIN, "application/json", csv.getBytes(StandardCharsets.UTF_8)).problemCode());
    for (String query : List.of("", "?supplierId=s", "?unitCost=10", "?supplierId=s&unitCost=-1",
        "?supplierId=s&unitCost=1.5", "?supplierId=bad%20id&unitCost=1")) {
      Response response = nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches" + query, ADMIN, "text/csv",
          csv.getBytes(StandardCharsets.UTF_8));
      assertEquals("INVALID_REQUEST", response.problemCode(), query);
    }
    String tooLong = "A".repeat(5000);
    assertEquals("INVALID_REQUEST", importCsv(skuId, tooLong).problemCode());
    assertEquals(0, nodes.admin().get("/admin/v1/skus/" + skuId, ADMIN).json().path("stock").path("available").asLong());
    assertEquals(3, importCsv(skuId, csv).json().path("accepted").asLong(), "nothing of the refused imports was kept");
  }

  @Test
  void aFailedImportReleasesTheCodesItHadClaimed() {
    String skuId = sku("CARD_CODE");
    List<String> codes = codes("RETRY", 1200);
    // Chunks of 500: the first two are claimed and written before the over-long line fails the import.
    Response failed = importCsv(skuId, String.join("\n", codes) + "\n" + "Z".repeat(5000) + "\n");
    assertEquals("INVALID_REQUEST", failed.problemCode());
    assertEquals(0, nodes.admin().get("/admin/v1/skus/" + skuId, ADMIN).json().path("stock").path("available").asLong());

    JsonNode retried = importCsv(skuId, String.join("\n", codes)).json();
    assertEquals(1200, retried.path("accepted").asLong(), "the failed batch's claims were taken over");
    assertEquals(0, retried.path("duplicates").asLong());
    assertEquals(1200, nodes.admin().get("/admin/v1/skus/" + skuId, ADMIN).json().path("stock").path("available").asLong());
  }

  @Test
  void noCodeAppearsInAnyLogLine() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try {
      String skuId = sku("CARD_CODE");
      List<String> codes = codes("SECRETLOG", 30);
      importCsv(skuId, String.join("\n", codes) + "\n" + codes.get(0) + "\n" + codes.get(1) + ",not-a-date\n");
      importCsv(skuId, "A".repeat(5000) + codes.get(2));
      Set<String> lines = captured.list.stream()
          .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
          .collect(Collectors.toCollection(HashSet::new));
      assertFalse(lines.isEmpty(), "the imports were logged");
      for (String line : lines) {
        assertFalse(line.contains("SECRETLOG"), "a code leaked into the log: " + line.replaceAll("SECRETLOG\\S*", "<code>"));
      }
    } finally {
      root.detachAppender(captured);
    }
  }

  private static List<String> toList(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(item -> values.add(item.path(field).asText()));
    return values;
  }
}
