package com.quanyi.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input to the SKU admin endpoints gets a typed problem and changes nothing. */
class AdminSkuApiIT {


  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  private static String valid(String skuId) {
    return """
        {"skuId": "%s", "name": "QQ Music Green Diamond", "kind": "CARD_CODE",
         "faceValue": {"amount": 1500, "currency": "CNY"}, "listPrice": {"amount": 1200, "currency": "CNY"},
         "riskLevel": "LOW"}""".formatted(skuId);
  }

  private static void assertUnchanged(String skuId) {
    Response lookup = nodes.admin().get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN);
    assertEquals(404, lookup.status(), () -> "a refused request created " + skuId + ": " + lookup.body());
  }

  @Test
  void withoutAValidTokenNothingHappens() {
    String skuId = "sku-" + UUID.randomUUID();
    assertEquals("UNAUTHENTICATED", nodes.admin().post("/admin/v1/skus", null, valid(skuId)).problemCode());
    assertEquals("UNAUTHENTICATED", nodes.admin().post("/admin/v1/skus", "wrong-token-wrong-token-wrong", valid(skuId)).problemCode());
    Response basic = nodes.admin().send("POST", "/admin/v1/skus", null, "application/json", valid(skuId).getBytes(StandardCharsets.UTF_8));
    assertEquals(401, basic.status());
    assertEquals("UNAUTHENTICATED", nodes.admin().get("/admin/v1/skus/" + skuId, null).problemCode());
    assertUnchanged(skuId);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed JSON            | {"skuId": "SKU", "name":
      not an object             | [1, 2, 3]
      empty body                |
      missing name              | {"skuId": "SKU", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      missing faceValue         | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      unknown kind              | {"skuId": "SKU", "name": "n", "kind": "BUNDLE_X", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      amount as string          | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": "1", "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      amount as float           | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 19.9, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      negative amount           | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": -1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      amount beyond long        | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 99999999999999999999, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      unknown currency          | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "XYZ"}, "listPrice": {"amount": 1, "currency": "XYZ"}, "riskLevel": "LOW"}
      mixed currencies          | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "USD"}, "riskLevel": "LOW"}
      bad id characters         | {"skuId": "SKU/../x", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      zero per-buyer limit      | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW", "maxPerBuyer": 0}
      negative per-buyer limit  | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW", "maxPerBuyer": -3}
      per-buyer limit as string | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW", "maxPerBuyer": "3"}
      blank name                | {"skuId": "SKU", "name": "   ", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"}
      trailing garbage          | {"skuId": "SKU", "name": "n", "kind": "CARD_CODE", "faceValue": {"amount": 1, "currency": "CNY"}, "listPrice": {"amount": 1, "currency": "CNY"}, "riskLevel": "LOW"} {}
      """)
  void invalidBodiesAreRefusedWithATypedError(String caseName, String body) {
    String skuId = "sku-" + UUID.randomUUID();
    String json = body == null ? "" : body.replace("\"SKU\"", "\"" + skuId + "\"");
    Response response = nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, json);
    assertEquals(400, response.status(), () -> caseName + ": " + response.body());
    assertEquals("INVALID_REQUEST", response.problemCode());
    assertTrue(response.json().path("detail").asText().length() > 0);
    assertUnchanged(skuId);
  }

  @Test
  void overlongIdsAndNamesAreRefused() {
    String longId = "a".repeat(65);
    assertEquals("INVALID_REQUEST", nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, valid(longId)).problemCode());
    String skuId = "sku-" + UUID.randomUUID();
    String longName = valid(skuId).replace("QQ Music Green Diamond", "n".repeat(201));
    assertEquals("INVALID_REQUEST", nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, longName).problemCode());
    assertUnchanged(skuId);
  }

  @Test
  void aHugeBodyIsRefusedAs413() {
    String skuId = "sku-" + UUID.randomUUID();
    String huge = valid(skuId).replace("QQ Music Green Diamond", "x".repeat(200_000));
    Response response = nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, huge);
    assertEquals(413, response.status(), response.body());
    assertEquals("PAYLOAD_TOO_LARGE", response.problemCode());
    assertUnchanged(skuId);
  }

  @Test
  void unknownSkusAndPathsAre404AndWrongMethods405() {
    assertEquals("NOT_FOUND", nodes.admin().get("/admin/v1/skus/no-such-sku", TestNodes.ADMIN_TOKEN).problemCode());
    assertEquals("NOT_FOUND", nodes.admin().get("/admin/v1/skus/" + "z".repeat(80), TestNodes.ADMIN_TOKEN).problemCode());
    assertEquals("NOT_FOUND", nodes.admin().get("/admin/v1/nothing-here", TestNodes.ADMIN_TOKEN).problemCode());
    Response delete = nodes.admin().send("DELETE", "/admin/v1/skus/no-such-sku", TestNodes.ADMIN_TOKEN, null, new byte[0]);
    assertEquals(405, delete.status());
    assertEquals("METHOD_NOT_ALLOWED", delete.problemCode());
  }

  @Test
  void aValidSkuIsCreatedOnceAndReadBack() {
    String skuId = "sku-" + UUID.randomUUID();
    Response created = nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, valid(skuId));
    assertEquals(201, created.status(), created.body());
    assertEquals("LISTED", created.json().path("status").asText());
    assertTrue(created.json().path("maxPerBuyer").isMissingNode());
    assertEquals("ALREADY_EXISTS", nodes.admin().post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, valid(skuId)).problemCode());
    Response read = nodes.admin().get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN);
    assertEquals(created.body(), read.body());
  }
}
