package com.quanyi.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.quanyi.node.testkit.CassandraCounters;
import com.quanyi.node.testkit.HttpTestClient.Response;
import com.quanyi.node.testkit.MalformedValues;
import com.quanyi.node.testkit.MalformedValues.Case;
import com.quanyi.node.testkit.OpenApiOperations;
import com.quanyi.node.testkit.OpenApiOperations.Operation;
import com.quanyi.node.testkit.OpenApiOperations.Parameter;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.RunningNodes;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.testkit.TestCassandra;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks every operation of the OpenAPI document the node serves and sends each parameter and body
 * field malformed values, one at a time, everything else valid and naming real resources: no
 * answer may be a 5xx, every refusal is a typed problem, whatever the schema forbids is refused,
 * and nothing anywhere changes (no Cassandra write, the same resources afterwards).
 */
class MalformedInputIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  /**
   * Written by time, not by requests: projections' offsets and status, nonce registries' leases
   * (NonceRegistry), the member's note every second (OneCluster).
   */
  private static final Set<String> BACKGROUND = Set.of("write quanyi.offset_store", "write quanyi.projection_status",
      "write quanyi.nonce_leases", "write quanyi.cluster_members");

  private static boolean ignored(String counter) {
    return BACKGROUND.contains(counter) || counter.startsWith("read ");
  }

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Logger log = LoggerFactory.getLogger(MalformedInputIT.class);

  private final List<String> defects = new ArrayList<>();
  private int requests;

  private Channel channel;
  private String skuId;
  private String batchId;
  private String orderNo;
  private String orderId;
  private String entryId;
  private String tokenName;
  private String supplierId;

  @Test
  void noMalformedRequestFailsTheServerOrChangesAnything() throws Exception {
    setUp();
    List<Operation> operations = OpenApiOperations.read(nodes.admin().get("/openapi.yaml", null).body());
    try (CqlSession cql = TestCassandra.get().newSession()) {
      // Read first: the order's first read has its entity take over the acceptance (one write).
      Map<String, String> resourcesBefore = resources();
      Map<String, Long> before = CassandraCounters.settled(cql, MalformedInputIT::ignored);

      int withInput = 0;
      for (Operation operation : operations) {
        int sent = requests;
        walk(operation);
        withInput += requests > sent ? 1 : 0;
      }

      // Quiet again (anything a refused request set off has landed), then nothing may have been written.
      Map<String, Long> written = CassandraCounters.spent(before, CassandraCounters.settled(cql,
          MalformedInputIT::ignored), MalformedInputIT::ignored);
      log.info("{} operations in the document, {} with parameters or a body, {} malformed requests",
          operations.size(), withInput, requests);
      assertEquals(List.of(), defects, defects.size() + " of " + requests + " malformed requests answered wrongly");
      assertEquals(Map.of(), written, "Cassandra writes during " + requests + " malformed requests");
      assertEquals(resourcesBefore, resources(), "resources after the malformed requests");
      assertTrue(operations.size() >= 50 && requests >= 900, operations.size() + " operations, " + requests);
    }
  }

  /** Past the parser's limit (16 KiB) there is no route to answer: the parser's answer is typed too. */
  @Test
  void aRequestLinePastTheLimitIsATypedProblem() {
    Response response = nodes.admin().get("/admin/v1/skus/" + "x".repeat(20_000), TestNodes.ADMIN_TOKEN);
    assertEquals(414, response.status(), response.body());
    assertEquals("INVALID_REQUEST", response.problemCode());
  }

  private void setUp() {
    channel = Partners.channel(nodes.admin(), 1_000_000);
    skuId = Partners.stockedSku(nodes.admin(), channel, 20, 100);
    batchId = nodes.admin().send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1",
        TestNodes.ADMIN_TOKEN, "text/csv", ("M-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8))
        .json().path("batchId").asText();
    orderNo = "probe-order";
    Partners.Reply order = Partners.signed(nodes.node(), channel, "POST", "/api/v1/orders",
        Partners.order(orderNo, skuId));
    assertEquals(201, order.status(), order.body().toString());
    orderId = order.body().path("orderId").asText();
    tokenName = "probe-token-" + UUID.randomUUID();
    created(admin("POST", "/admin/v1/tokens", "{\"name\": \"" + tokenName + "\", \"role\": \"AUDITOR\"}"));
    entryId = created(admin("POST", "/admin/v1/risk/lists",
        "{\"list\": \"BLOCK\", \"subject\": \"IP\", \"value\": \"203.0.113.99\"}")).json().path("entryId").asText();
    supplierId = "probe-supplier-" + UUID.randomUUID();
    created(admin("POST", "/admin/v1/suppliers", """
        {"supplierId": "%s", "name": "Probe", "endpoint": "http://127.0.0.1:9", "apiKey": "k",
         "apiSecret": "0123456789abcdef0123"}""".formatted(supplierId)));
  }

  private Response created(Response response) {
    assertTrue(response.status() == 201, response.status() + " " + response.body());
    return response;
  }

  private void walk(Operation operation) {
    Map<String, String> path = pathValues(operation);
    Map<String, String> query = queryValues(operation);
    byte[] body = validBody(operation);
    for (Parameter parameter : operation.in("path")) {
      List<Case> cases = new ArrayList<>(MalformedValues.invalidText(parameter.schema(), parameter.name()));
      cases.add(new Case("a slash", JSON.textNode("a/b"), false));
      cases.add(new Case("dot dot", JSON.textNode(".."), false));
      for (Case c : cases) {
        Map<String, String> wrong = new HashMap<>(path);
        wrong.put(parameter.name(), c.value().asText());
        send(operation, "path " + parameter.name() + ": " + c.what(), c.certain(), wrong, query, body);
      }
    }
    for (Parameter parameter : operation.in("query")) {
      for (Case c : MalformedValues.invalidText(parameter.schema(), parameter.name())) {
        Map<String, String> wrong = new LinkedHashMap<>(query);
        wrong.put(parameter.name(), c.value().asText());
        send(operation, "query " + parameter.name() + ": " + c.what(), c.certain(), path, wrong, body);
      }
    }
    if (operation.body() == null) {
      return;
    }
    if (operation.body().schema() == null) {
      send(operation, "an empty body", true, path, query, new byte[0]);
      return;
    }
    JsonNode base = MalformedValues.sample(operation.body().schema(), "", known(operation));
    for (MalformedValues.Body wrong : MalformedValues.bodies(operation.body().schema(), base)) {
      send(operation, "body " + wrong.what(), true, path, query, wrong.bytes());
    }
  }

  private void send(Operation operation, String what, boolean mustRefuse, Map<String, String> path,
      Map<String, String> query, byte[] body) {
    String target = target(operation.path(), path, query);
    Response response = operation.partner()
        ? Partners.signedRaw(nodes.node().httpPort(), channel, operation.method(), target, body)
        : nodes.admin().send(operation.method(), target, TestNodes.ADMIN_TOKEN,
            body.length == 0 && operation.body() == null ? null : contentType(operation), body);
    requests++;
    String where = operation + " with " + what + " -> " + response.status() + " "
        + response.body().substring(0, Math.min(200, response.body().length()));
    if (response.status() >= 500) {
      defects.add(where);
    } else if (response.status() >= 400 && !response.contentType().startsWith("application/problem+json")) {
      defects.add("untyped: " + where);
    } else if (mustRefuse && response.status() < 400) {
      defects.add("accepted: " + where);
    }
  }

  private static String contentType(Operation operation) {
    return operation.body() == null ? "application/json" : operation.body().mediaType();
  }

  private static String target(String template, Map<String, String> path, Map<String, String> query) {
    String target = template;
    for (Map.Entry<String, String> p : path.entrySet()) {
      target = target.replace("{" + p.getKey() + "}", encode(p.getValue()));
    }
    StringBuilder withQuery = new StringBuilder(target);
    char separator = '?';
    for (Map.Entry<String, String> q : query.entrySet()) {
      withQuery.append(separator).append(encode(q.getKey())).append('=').append(encode(q.getValue()));
      separator = '&';
    }
    return withQuery.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Real resources for every path parameter, so that a malformed value elsewhere meets a real entity. */
  private Map<String, String> pathValues(Operation operation) {
    boolean projection = operation.path().startsWith("/admin/v1/projections/");
    Map<String, String> values = new HashMap<>();
    for (Parameter p : operation.in("path")) {
      values.put(p.name(), switch (p.name()) {
        case "skuId" -> skuId;
        case "batchId" -> batchId;
        case "channelId" -> channel.id();
        case "clientOrderNo" -> orderNo;
        case "orderId" -> orderId;
        case "entryId" -> entryId;
        case "eventId" -> "no-such-event";
        case "name" -> projection ? "sales" : tokenName;
        case "action" -> "pause";
        default -> throw new IllegalStateException("no value for path parameter " + p.name() + " of " + operation);
      });
    }
    return values;
  }

  /** The required query parameters with valid values (and the one filter the order index needs). */
  private Map<String, String> queryValues(Operation operation) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Parameter p : operation.in("query")) {
      if (!p.required()) {
        continue;
      }
      values.put(p.name(), switch (p.name()) {
        case "from" -> LocalDate.now().minusDays(1).toString();
        case "to" -> LocalDate.now().toString();
        case "orderId" -> orderId;
        case "subject" -> "ip:198.51.100.7";
        case "supplierId" -> "probe-supplier";
        case "unitCost" -> "1";
        default -> throw new IllegalStateException("no value for query parameter " + p.name() + " of " + operation);
      });
    }
    if (operation.path().equals("/admin/v1/reports/orders")) {
      values.put("channelId", channel.id());
    }
    return values;
  }

  /** What a valid request would carry: a code for an import, the sample for JSON. */
  private byte[] validBody(Operation operation) {
    if (operation.body() == null) {
      return new byte[0];
    }
    if (operation.body().schema() == null) {
      return ("PROBE-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }
    return MalformedValues.sample(operation.body().schema(), "", known(operation)).toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Field values a body needs to be valid against this node: real references, current versions. */
  private Map<String, JsonNode> known(Operation operation) {
    Map<String, JsonNode> known = new HashMap<>();
    known.put("ip", JSON.textNode("198.51.100.7"));
    switch (operation.toString()) {
      case "POST /api/v1/orders" -> known.put("skuId", JSON.textNode(skuId));
      case "PUT /admin/v1/skus/{skuId}/suppliers" -> known.put("supplierId", JSON.textNode(supplierId));
      case "PUT /admin/v1/risk/rules" -> known.put("expectedVersion",
          JSON.numberNode(admin("GET", "/admin/v1/risk/rules", null).json().path("version").asLong()));
      case "PUT /admin/v1/commission/rules" -> known.put("expectedVersion",
          JSON.numberNode(admin("GET", "/admin/v1/commission/rules", null).json().path("version").asLong()));
      default -> { }
    }
    return known;
  }

  private Response admin(String method, String path, String json) {
    return nodes.admin().send(method, path, TestNodes.ADMIN_TOKEN, json == null ? null : "application/json",
        json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
  }

  /** What an operator would see of the resources the walk aimed at. */
  private Map<String, String> resources() {
    Map<String, String> seen = new LinkedHashMap<>();
    for (String path : List.of("/admin/v1/skus/" + skuId, "/admin/v1/skus/" + skuId + "/batches/" + batchId,
        "/admin/v1/channels/" + channel.id(), "/admin/v1/orders/" + orderId, "/admin/v1/tokens",
        "/admin/v1/risk/rules", "/admin/v1/risk/lists", "/admin/v1/commission/rules", "/admin/v1/reviews",
        "/admin/v1/skus/" + skuId + "/suppliers", "/admin/v1/channels/" + channel.id() + "/callbacks/parked")) {
      Response response = admin("GET", path, null);
      seen.put(path, response.status() + " " + response.body());
    }
    Response balance = Partners.signedRaw(nodes.node().httpPort(), channel, "GET", "/api/v1/balance", new byte[0]);
    seen.put("/api/v1/balance", balance.status() + " " + balance.body());
    return seen;
  }
}
