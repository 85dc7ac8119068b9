package com.quanyi.node.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.testkit.TestCassandra;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registering suppliers and routing top-up SKUs over the admin API, against the real journal. */
class SupplierAdminIT {

  private static final String SECRET = "supplier-issued-secret-" + UUID.randomUUID();

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  private static String supplier(String id, String endpoint, String secret) {
    return """
        {"supplierId": "%s", "name": "China Mobile agent", "endpoint": "%s", "apiKey": "quanyi-key",
         "apiSecret": "%s", "timeoutMillis": 2000, "maxConcurrent": 50}""".formatted(id, endpoint, secret);
  }

  @Test
  void aSupplierIsRegisteredOnceAndItsSecretIsNeverShownNorStoredInTheClear() {
    String id = "sup-" + UUID.randomUUID().toString().substring(0, 8);
    Response created = nodes.admin().post("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN, supplier(id, "https://sup.example/api", SECRET));
    assertEquals(201, created.status(), created.body());
    assertEquals("CLOSED", created.json().path("health").path("circuit").asText());
    assertFalse(created.body().contains(SECRET));
    assertEquals(409, nodes.admin().post("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN,
        supplier(id, "https://sup.example/api", SECRET)).status());

    Response listed = nodes.admin().get("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN);
    assertTrue(listed.body().contains(id));
    assertFalse(listed.body().contains(SECRET));

    try (CqlSession session = TestCassandra.get().newSession()) {
      List<Row> rows = session.execute("SELECT event FROM " + TestCassandra.JOURNAL_KEYSPACE
          + ".messages WHERE persistence_id = 'SupplierDirectory|suppliers' AND partition_nr = 0").all();
      assertFalse(rows.isEmpty());
      for (Row row : rows) {
        ByteBuffer event = row.getByteBuffer("event");
        byte[] bytes = new byte[event.remaining()];
        event.get(bytes);
        assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(SECRET), "the journal holds the secret");
      }
    }
  }

  @Test
  void badSuppliersAreRefusedAndChangeNothing() {
    List<String> bodies = List.of(
        supplier("bad id!", "https://sup.example", SECRET),
        supplier("s-cred", "https://user:pw@sup.example", SECRET),
        supplier("s-ftp", "ftp://sup.example", SECRET),
        supplier("s-rel", "/relative", SECRET),
        supplier("s-short", "https://sup.example", "short"),
        supplier("s-timeout", "https://sup.example", SECRET).replace("2000", "10"),
        supplier("s-conc", "https://sup.example", SECRET).replace("\"maxConcurrent\": 50", "\"maxConcurrent\": 0"),
        "{\"supplierId\": \"s-missing\"}",
        "{\"supplierId\": ",
        "[]");
    for (String body : bodies) {
      Response r = nodes.admin().post("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN, body);
      assertEquals(400, r.status(), body + " -> " + r.body());
      assertEquals("INVALID_REQUEST", r.json().path("code").asText());
    }
    String list = nodes.admin().get("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN).body();
    for (String id : List.of("s-cred", "s-ftp", "s-rel", "s-short", "s-timeout", "s-conc", "s-missing")) {
      assertFalse(list.contains("\"" + id + "\""), id + " was registered");
    }
  }

  @Test
  void aRouteNamesRegisteredSuppliersInPriorityOrder() {
    String a = "sup-a-" + UUID.randomUUID().toString().substring(0, 6);
    String b = "sup-b-" + UUID.randomUUID().toString().substring(0, 6);
    nodes.admin().post("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN, supplier(a, "https://a.example", SECRET));
    nodes.admin().post("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN, supplier(b, "https://b.example", SECRET));
    String sku = "topup-" + UUID.randomUUID().toString().substring(0, 8);
    String route = """
        {"route": [{"supplierId": "%s", "productCode": "cm50", "unitCost": {"amount": 4900, "currency": "CNY"}},
                   {"supplierId": "%s", "productCode": "CM-50", "unitCost": {"amount": 4950, "currency": "CNY"}}]}"""
        .formatted(b, a);
    Response saved = nodes.admin().send("PUT", "/admin/v1/skus/" + sku + "/suppliers", TestNodes.ADMIN_TOKEN, "application/json",
        route.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, saved.status(), saved.body());
    JsonNode read = nodes.admin().get("/admin/v1/skus/" + sku + "/suppliers", TestNodes.ADMIN_TOKEN).json();
    assertEquals(b, read.path("route").get(0).path("supplierId").asText());
    assertEquals(a, read.path("route").get(1).path("supplierId").asText());

    for (String bad : List.of(
        "{\"route\": [{\"supplierId\": \"nobody\", \"productCode\": \"x\", \"unitCost\": {\"amount\": 1, \"currency\": \"CNY\"}}]}",
        route.replace(b, a),
        "{\"route\": [{\"supplierId\": \"" + a + "\", \"productCode\": \"x\", \"unitCost\": {\"amount\": -1, \"currency\": \"CNY\"}}]}",
        "{\"route\": [{\"supplierId\": \"" + a + "\", \"unitCost\": {\"amount\": 1, \"currency\": \"CNY\"}}]}",
        "{}")) {
      Response r = nodes.admin().send("PUT", "/admin/v1/skus/" + sku + "/suppliers", TestNodes.ADMIN_TOKEN, "application/json",
          bad.getBytes(StandardCharsets.UTF_8));
      assertEquals(400, r.status(), bad + " -> " + r.body());
    }
    assertEquals(b, nodes.admin().get("/admin/v1/skus/" + sku + "/suppliers", TestNodes.ADMIN_TOKEN).json()
        .path("route").get(0).path("supplierId").asText(), "refused routes changed nothing");
  }
}
