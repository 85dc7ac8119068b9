package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.TestNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** State written through the HTTP API survives a full restart of the node, from Cassandra. */
class NodeRecoveryIT {

  static String skuJson(String skuId) {
    return """
        {"skuId": "%s", "name": "Tencent Video VIP 1 month", "kind": "CARD_CODE",
         "faceValue": {"amount": 3000, "currency": "CNY"}, "listPrice": {"amount": 2500, "currency": "CNY"},
         "riskLevel": "MEDIUM", "maxPerBuyer": 5}""".formatted(skuId);
  }

  @Test
  void aRegisteredSkuIsRecoveredAfterTheNodeRestarts() {
    String skuId = "sku-" + UUID.randomUUID();
    String created;
    try (Node first = TestNodes.startReady()) {
      HttpTestClient api = new HttpTestClient(first.httpPort());
      HttpTestClient.Response response = api.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, skuJson(skuId));
      assertEquals(201, response.status(), response.body());
      created = response.json().path("createdAt").asText();
    }

    try (Node second = TestNodes.startReady()) {
      HttpTestClient api = new HttpTestClient(second.httpPort());
      HttpTestClient.Response response = api.get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN);
      assertEquals(200, response.status(), response.body());
      assertEquals(skuId, response.json().path("skuId").asText());
      assertEquals(created, response.json().path("createdAt").asText());
      assertEquals(5, response.json().path("maxPerBuyer").asInt());
      assertEquals(2500, response.json().path("listPrice").path("amount").asLong());
      assertEquals(409, api.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, skuJson(skuId)).status());
    }
  }

  @Test
  void concurrentRegistrationsOfOneSkuCreateItOnce() throws Exception {
    String skuId = "sku-" + UUID.randomUUID();
    try (Node node = TestNodes.startReady()) {
      HttpTestClient api = new HttpTestClient(node.httpPort());
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          calls.add(() -> api.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, skuJson(skuId)).status());
        }
        int created = 0;
        int conflicts = 0;
        for (Future<Integer> status : pool.invokeAll(calls)) {
          if (status.get() == 201) {
            created++;
          } else if (status.get() == 409) {
            conflicts++;
          }
        }
        assertEquals(1, created);
        assertEquals(49, conflicts);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
