package com.quanyi.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Sets a scenario up through the admin API, as an operator would: channels, SKUs, codes, prices, rules. */
final class Admin {

  record Channel(String id, String key, String secret) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Admin(String base, String token) {
    this.base = base;
    this.token = token;
  }

  Channel channel(String prefix, long deposit) {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    JsonNode created = send("POST", "/admin/v1/channels", "application/json",
        "{\"channelId\": \"" + id + "\", \"name\": \"Load test " + id + "\"}", 201);
    send("POST", "/admin/v1/channels/" + id + "/deposits", "application/json",
        "{\"amount\": {\"amount\": " + deposit + ", \"currency\": \"CNY\"}, \"reference\": \"load-" + id + "\"}", 200);
    return new Channel(id, created.path("apiKey").asText(), created.path("apiSecret").asText());
  }

  /** A CARD_CODE SKU with {@code codes} fresh codes imported in batches of at most 100,000. */
  String sku(String prefix, int codes, String riskLevel) {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    send("POST", "/admin/v1/skus", "application/json", """
        {"skuId": "%s", "name": "Flash sale %s", "kind": "CARD_CODE", "faceValue": {"amount": 100, "currency": "CNY"},
         "listPrice": {"amount": 90, "currency": "CNY"}, "riskLevel": "%s"}""".formatted(id, id, riskLevel), 201);
    for (int from = 0; from < codes; from += 100_000) {
      int to = Math.min(codes, from + 100_000);
      String csv = IntStream.range(from, to).mapToObj(i -> "LT-" + i + "-" + UUID.randomUUID())
          .collect(Collectors.joining("\n"));
      send("POST", "/admin/v1/skus/" + id + "/batches?supplierId=load&unitCost=50", "text/csv", csv, 201);
    }
    return id;
  }

  /** A BUNDLE SKU of one unit of each of {@code parts}. */
  String bundle(String prefix, String... parts) {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    String list = java.util.Arrays.stream(parts).map(p -> "{\"skuId\": \"" + p + "\", \"quantity\": 1}")
        .collect(Collectors.joining(", "));
    send("POST", "/admin/v1/skus", "application/json", """
        {"skuId": "%s", "name": "Bundle %s", "kind": "BUNDLE", "faceValue": {"amount": 200, "currency": "CNY"},
         "listPrice": {"amount": 180, "currency": "CNY"}, "riskLevel": "LOW", "parts": [%s]}""".formatted(id, id, list),
        201);
    return id;
  }

  /** A SKU of {@code codes} codes sold by one channel at {@code price}, funded for twice that many. */
  record Shop(Channel channel, String skuId, long deposit) {}

  Shop shop(String prefix, int codes, long price) {
    long deposit = price * codes * 2;
    Channel channel = channel(prefix, deposit);
    String skuId = sku(prefix, codes, "LOW");
    price(channel, skuId, price);
    return new Shop(channel, skuId, deposit);
  }

  void price(Channel channel, String skuId, long price) {
    send("PUT", "/admin/v1/channels/" + channel.id() + "/prices/" + skuId, "application/json",
        "{\"price\": {\"amount\": " + price + ", \"currency\": \"CNY\"}}", 200);
  }

  /** Replaces the risk rule set with {@code rulesJson} (a JSON array). */
  void riskRules(String rulesJson) {
    long version = send("GET", "/admin/v1/risk/rules", null, null, 200).path("version").asLong();
    send("PUT", "/admin/v1/risk/rules", "application/json",
        "{\"expectedVersion\": " + version + ", \"rules\": " + rulesJson + "}", 200);
  }

  long balance(Channel channel) {
    return send("GET", "/admin/v1/channels/" + channel.id(), null, null, 200)
        .path("account").path("balance").path("amount").asLong();
  }

  JsonNode stock(String skuId) {
    return send("GET", "/admin/v1/skus/" + skuId, null, null, 200).path("stock");
  }

  private JsonNode send(String method, String path, String contentType, String body, int expected) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
