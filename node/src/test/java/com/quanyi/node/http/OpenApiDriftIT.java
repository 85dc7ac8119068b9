package com.quanyi.node.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.OpenApiOperations;
import com.quanyi.node.testkit.OpenApiOperations.Operation;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document the node serves is the one in the repository, and every operation it lists
 * is a real route: calling it never ends in "no such resource" or "method not allowed".
 */
class OpenApiDriftIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  @Test
  void everyDocumentedOperationIsARoute() {
    Response served = nodes.admin().get("/openapi.yaml", null);
    assertTrue(served.status() == 200 && served.body().startsWith("openapi: 3."), served.body());

    List<Operation> operations = OpenApiOperations.read(served.body());
    for (Operation operation : operations) {
      String concrete = operation.path().replaceAll("\\{[^}]+}", "drift-check");
      boolean bodyless = operation.method().equals("GET") || operation.method().equals("DELETE");
      Response response = nodes.admin().send(operation.method(), concrete, TestNodes.ADMIN_TOKEN,
          bodyless ? null : "application/json", "{}".getBytes());
      String what = operation.method() + " " + concrete + " -> " + response.status() + " " + response.body();
      assertFalse(response.status() == 405, what);
      assertFalse(response.status() == 404 && response.body().contains("no such resource"), what);
    }
    assertTrue(operations.size() >= 40, "operations checked: " + operations);
  }
}
