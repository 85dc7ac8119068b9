package com.quanyi.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.TestNodes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the node serves is the one in the repository, and every operation it lists
 * is a real route: calling it never ends in "no such resource" or "method not allowed".
 */
class OpenApiDriftIT {

  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
  private static Node node;
  private static HttpTestClient api;

  @BeforeAll
  static void start() {
    node = TestNodes.startReady();
    api = new HttpTestClient(node.httpPort());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void everyDocumentedOperationIsARoute() throws Exception {
    Response served = api.get("/openapi.yaml", null);
    assertEquals(200, served.status());
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(served.body());
    assertTrue(document.path("openapi").asText().startsWith("3."));

    List<String> checked = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      String concrete = path.getKey().replaceAll("\\{[^}]+}", "drift-check");
      Iterator<String> methods = path.getValue().fieldNames();
      while (methods.hasNext()) {
        String method = methods.next();
        if (!METHODS.contains(method)) {
          continue;
        }
        Response response = api.send(method.toUpperCase(), concrete, TestNodes.ADMIN_TOKEN,
            method.equals("get") || method.equals("delete") ? null : "application/json", "{}".getBytes());
        String what = method.toUpperCase() + " " + concrete + " -> " + response.status() + " " + response.body();
        assertFalse(response.status() == 405, what);
        assertFalse(response.status() == 404 && response.body().contains("no such resource"), what);
        checked.add(method.toUpperCase() + " " + path.getKey());
      }
    }
    assertTrue(checked.size() >= 40, "operations checked: " + checked);
  }
}
