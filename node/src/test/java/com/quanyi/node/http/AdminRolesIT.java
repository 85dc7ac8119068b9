package com.quanyi.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every admin endpoint checks the caller's role; a refused call changes nothing. */
class AdminRolesIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  enum Role { ADMIN, OPERATOR, FINANCE, AUDITOR }

  private static final Map<Role, String> tokens = new EnumMap<>(Role.class);
  private static String skuId;
  private static String batchId;

  @BeforeAll
  static void tokensAndStock() {
    for (Role role : Role.values()) {
      Response issued = nodes.admin().post("/admin/v1/tokens", TestNodes.ADMIN_TOKEN,
          "{\"name\": \"%s-%s\", \"role\": \"%s\"}".formatted(role.name().toLowerCase(), UUID.randomUUID(), role));
      assertEquals(201, issued.status(), issued.body());
      tokens.put(role, issued.json().path("token").asText());
    }
    skuId = "sku-" + UUID.randomUUID();
    assertEquals(201, nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, sku(skuId)).status());
    batchId = nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1", TestNodes.ADMIN_TOKEN,
        "text/csv", ("R-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)).json().path("batchId").asText();
  }

  static String sku(String id) {
    return """
        {"skuId": "%s", "name": "Role test", "kind": "CARD_CODE", "faceValue": {"amount": 100, "currency": "CNY"},
         "listPrice": {"amount": 90, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(id);
  }

  record Endpoint(String method, String path, String contentType, String body, Set<Role> allowed) {}

  static List<Endpoint> endpoints() {
    Set<Role> everyone = Set.of(Role.values());
    Set<Role> catalog = Set.of(Role.ADMIN, Role.OPERATOR);
    Set<Role> adminOnly = Set.of(Role.ADMIN);
    Set<Role> reporters = Set.of(Role.ADMIN, Role.FINANCE, Role.AUDITOR);
    String days = "from=2026-11-01&to=2026-11-02";
    String batch = "/admin/v1/skus/" + skuId + "/batches/" + batchId;
    return List.of(
        new Endpoint("POST", "/admin/v1/skus", "application/json", sku("new-" + UUID.randomUUID()), catalog),
        new Endpoint("GET", "/admin/v1/skus/" + skuId, null, "", everyone),
        new Endpoint("PATCH", "/admin/v1/skus/" + skuId, "application/json", "{\"name\": \"Renamed\"}", catalog),
        new Endpoint("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1", "text/csv",
            "ROLE-" + UUID.randomUUID(), catalog),
        new Endpoint("GET", batch, null, "", everyone),
        new Endpoint("POST", batch + "/freeze", null, "", catalog),
        new Endpoint("POST", batch + "/unfreeze", null, "", catalog),
        new Endpoint("POST", "/admin/v1/tokens", "application/json",
            "{\"name\": \"t-" + UUID.randomUUID() + "\", \"role\": \"AUDITOR\"}", adminOnly),
        new Endpoint("GET", "/admin/v1/tokens", null, "", adminOnly),
        new Endpoint("DELETE", "/admin/v1/tokens/nobody", null, "", adminOnly),
        new Endpoint("POST", "/admin/v1/vault/rewrap", null, "", adminOnly),
        new Endpoint("GET", "/admin/v1/risk/rules", null, "", everyone),
        // A version no rule set has: the allowed roles get 409 and nothing changes.
        new Endpoint("PUT", "/admin/v1/risk/rules", "application/json", "{\"expectedVersion\": -1, \"rules\": []}",
            catalog),
        new Endpoint("GET", "/admin/v1/risk/rules/history", null, "", everyone),
        new Endpoint("GET", "/admin/v1/risk/lists", null, "", everyone),
        new Endpoint("GET", "/admin/v1/risk/stats", null, "", everyone),
        new Endpoint("DELETE", "/admin/v1/risk/stats", null, "", catalog),
        new Endpoint("POST", "/admin/v1/risk/lists", "application/json", "{\"list\": \"BLOCK\", \"subject\": "
            + "\"DEVICE\", \"value\": \"role-" + UUID.randomUUID() + "\", \"expiresAt\": \""
            + java.time.Instant.now().plusSeconds(60) + "\"}", catalog),
        new Endpoint("DELETE", "/admin/v1/risk/lists/nothing", null, "", catalog),
        new Endpoint("GET", "/admin/v1/risk/decisions?orderId=ch~none", null, "", everyone),
        new Endpoint("GET", "/admin/v1/risk/subjects?subject=ip:192.0.2.1", null, "", everyone),
        new Endpoint("POST", "/admin/v1/risk/unblock", "application/json", "{\"subject\": \"ip:192.0.2.1\"}",
            catalog),
        new Endpoint("POST", "/admin/v1/orders/ch~none/approve", null, "", catalog),
        new Endpoint("POST", "/admin/v1/orders/ch~none/reject", null, "", catalog),
        new Endpoint("POST", "/admin/v1/orders/ch~none/refund", "application/json", "{\"reason\": \"x\"}", catalog),
        new Endpoint("GET", "/admin/v1/reports/sales?" + days, null, "", reporters),
        new Endpoint("GET", "/admin/v1/reports/orders?status=FAILED&" + days, null, "", reporters),
        new Endpoint("GET", "/admin/v1/reports/inventory", null, "", reporters),
        new Endpoint("GET", "/admin/v1/reports/suppliers?" + days, null, "", reporters),
        new Endpoint("GET", "/admin/v1/reports/accounts/ch-none/statement?" + days, null, "", reporters),
        new Endpoint("GET", "/admin/v1/reports/settlements/ch-none?" + days, null, "", reporters),
        new Endpoint("GET", "/admin/v1/reports/ledger-check", null, "", reporters),
        new Endpoint("GET", "/admin/v1/projections", null, "", reporters),
        // No such projection: the admin gets 404, the others 403, and nothing is paused.
        new Endpoint("POST", "/admin/v1/projections/none/pause", null, "", adminOnly),
        new Endpoint("GET", "/admin/v1/commission/rules", null, "", everyone),
        new Endpoint("PUT", "/admin/v1/commission/rules", "application/json", "{\"expectedVersion\": -1, \"rules\": []}",
            catalog));
  }

  @Test
  void eachEndpointAdmitsExactlyItsRoles() {
    for (Endpoint endpoint : endpoints()) {
      for (Role role : Role.values()) {
        Response response = nodes.admin().send(endpoint.method(), endpoint.path(), tokens.get(role), endpoint.contentType(),
            endpoint.body().getBytes(StandardCharsets.UTF_8));
        String what = role + " " + endpoint.method() + " " + endpoint.path() + " -> " + response.status() + " " + response.body();
        if (endpoint.allowed().contains(role)) {
          assertNotEquals(401, response.status(), what);
          assertNotEquals(403, response.status(), what);
          assertTrue(response.status() < 500, what);
        } else {
          assertEquals(403, response.status(), what);
          assertEquals("FORBIDDEN", response.problemCode(), what);
        }
      }
    }
  }

  @Test
  void refusedWritesChangeNothing() {
    String id = "sku-" + UUID.randomUUID();
    assertEquals(403, nodes.admin().post("/admin/v1/skus", tokens.get(Role.AUDITOR), sku(id)).status());
    assertEquals(403, nodes.admin().post("/admin/v1/skus", tokens.get(Role.FINANCE), sku(id)).status());
    assertEquals(404, nodes.admin().get("/admin/v1/skus/" + id, tokens.get(Role.AUDITOR)).status());
    long before = nodes.admin().get("/admin/v1/skus/" + skuId, tokens.get(Role.AUDITOR)).json().path("stock").path("available").asLong();
    assertEquals(403, nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1",
        tokens.get(Role.FINANCE), "text/csv", ("F-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(before, nodes.admin().get("/admin/v1/skus/" + skuId, tokens.get(Role.AUDITOR)).json()
        .path("stock").path("available").asLong());
  }

  @Test
  void aRevokedTokenStopsWorkingAndTokensAreNeverListedInFull() {
    Response issued = nodes.admin().post("/admin/v1/tokens", TestNodes.ADMIN_TOKEN, "{\"name\": \"temp-" + UUID.randomUUID()
        + "\", \"role\": \"OPERATOR\"}");
    String name = issued.json().path("name").asText();
    String token = issued.json().path("token").asText();
    assertEquals(200, nodes.admin().get("/admin/v1/skus/" + skuId, token).status());
    String listed = nodes.admin().get("/admin/v1/tokens", TestNodes.ADMIN_TOKEN).body();
    assertTrue(listed.contains(name));
    assertFalse(listed.contains(token), "a token is shown once, when issued");
    assertEquals(200, nodes.admin().send("DELETE", "/admin/v1/tokens/" + name, TestNodes.ADMIN_TOKEN, null, new byte[0]).status());
    assertEquals(401, nodes.admin().get("/admin/v1/skus/" + skuId, token).status());
    assertEquals("ALREADY_EXISTS", nodes.admin().post("/admin/v1/tokens", TestNodes.ADMIN_TOKEN,
        "{\"name\": \"" + tokensName(Role.AUDITOR) + "\", \"role\": \"AUDITOR\"}").problemCode());
  }

  private static String tokensName(Role role) {
    return nodes.admin().get("/admin/v1/tokens", TestNodes.ADMIN_TOKEN).json().path("tokens").findValuesAsText("name").stream()
        .filter(n -> n.startsWith(role.name().toLowerCase() + "-")).findFirst().orElseThrow();
  }
}
