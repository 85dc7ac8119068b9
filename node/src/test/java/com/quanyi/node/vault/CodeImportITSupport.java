package com.quanyi.node.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.TestNodes;
import java.util.UUID;

/** Shared setup of the import tests. */
final class CodeImportITSupport {
  private CodeImportITSupport() {}

  static String createSku(HttpTestClient api) {
    String skuId = "sku-" + UUID.randomUUID();
    HttpTestClient.Response created = api.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Bulk card", "kind": "CARD_CODE",
         "faceValue": {"amount": 1000, "currency": "CNY"}, "listPrice": {"amount": 950, "currency": "CNY"},
         "riskLevel": "LOW"}""".formatted(skuId));
    assertEquals(201, created.status(), created.body());
    return skuId;
  }
}
