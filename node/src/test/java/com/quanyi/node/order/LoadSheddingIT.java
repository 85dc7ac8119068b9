package com.quanyi.node.order;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.stock;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.TestNodes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Past its in-flight limit the partner API sheds load: 429 OVERLOADED with Retry-After, nothing
 * allocated or charged for the shed requests, never a 5xx, and the admitted ones complete.
 */
class LoadSheddingIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void requestsPastTheInFlightLimitAreShedWith429AndChangeNothing() throws Exception {
    try (Node node = TestNodes.startReady(Map.of("quanyi.http.max-partner-requests-in-flight", 4))) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel c = channel(admin, 1_000_000);
      String skuId = stockedSku(admin, c, 500, 100);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      List<CompletableFuture<HttpResponse<String>>> sent = IntStream.range(0, 300)
          .mapToObj(i -> http.sendAsync(signed(node, c, order("SHED-" + i, skuId)), HttpResponse.BodyHandlers.ofString()))
          .toList();
      Map<Integer, Integer> statuses = new TreeMap<>();
      int delivered = 0;
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        HttpResponse<String> response = f.get();
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() == 429) {
          assertEquals("OVERLOADED", JSON.readTree(response.body()).path("code").asText());
          assertTrue(response.headers().firstValue("Retry-After").isPresent(), "429 carries Retry-After");
        } else if (response.statusCode() == 201) {
          delivered++;
        }
      }
      assertTrue(statuses.getOrDefault(429, 0) > 0, "some requests were shed: " + statuses);
      assertEquals(300, statuses.getOrDefault(201, 0) + statuses.getOrDefault(429, 0), statuses.toString());
      assertEquals(delivered, stock(admin, skuId).path("allocated").asLong(), "a shed request allocated nothing");
      assertEquals(1_000_000 - 100L * delivered,
          admin.get("/admin/v1/channels/" + c.id(), TestNodes.ADMIN_TOKEN).json().path("account").path("balance")
              .path("amount").asLong(), "a shed request charged nothing");
    }
  }

  /** A request refused for its content leaves the in-flight count as it found it. */
  @Test
  void refusedRequestsFreeTheirPlaceInFlight() throws Exception {
    try (Node node = TestNodes.startReady(Map.of("quanyi.http.max-partner-requests-in-flight", 2))) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Channel c = channel(admin, 1_000_000);
      String skuId = stockedSku(admin, c, 5, 100);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> bad = http.send(signed(node, c, "{\"clientOrderNo\": \"BAD-" + i + "\", \"skuId\": \""
            + skuId + "\"}"), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode(), bad.body());
      }
      HttpResponse<String> good = http.send(signed(node, c, order("AFTER-BAD", skuId)),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, good.statusCode(), good.body());
    }
  }

  private static HttpRequest signed(Node node, Channel c, String body) {
    return Partners.request(node.httpPort(), c, "POST", "/api/v1/orders", body.getBytes(StandardCharsets.UTF_8));
  }
}
