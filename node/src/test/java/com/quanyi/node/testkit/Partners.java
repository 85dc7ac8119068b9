package com.quanyi.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;

/** A channel as tests play it: registered and funded through the admin API, ordering with signed requests. */
public final class Partners {

  private Partners() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public record Channel(String id, String key, String secret) {}

  public record Reply(int status, JsonNode body) {}

  public static Channel channel(HttpTestClient admin, long deposit) {
    String id = "ch-" + UUID.randomUUID();
    JsonNode created = admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
        "{\"channelId\": \"" + id + "\", \"name\": \"Shop\"}").json();
    if (deposit > 0) {
      admin.post("/admin/v1/channels/" + id + "/deposits", TestNodes.ADMIN_TOKEN,
          "{\"amount\": {\"amount\": " + deposit + ", \"currency\": \"CNY\"}, \"reference\": \"d1\"}");
    }
    return new Channel(id, created.path("apiKey").asText(), created.path("apiSecret").asText());
  }

  public static String stockedSku(HttpTestClient admin, Channel c, int codes, long price) {
    String skuId = "sku-" + UUID.randomUUID();
    admin.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "Game card", "kind": "CARD_CODE", "faceValue": {"amount": 1500, "currency": "CNY"},
         "listPrice": {"amount": 1400, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(skuId));
    admin.send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1", TestNodes.ADMIN_TOKEN, "text/csv",
        String.join("\n", IntStream.range(0, codes).mapToObj(i -> "GC-" + UUID.randomUUID()).toList())
            .getBytes(StandardCharsets.UTF_8));
    admin.send("PUT", "/admin/v1/channels/" + c.id() + "/prices/" + skuId, TestNodes.ADMIN_TOKEN, "application/json",
        ("{\"price\": {\"amount\": " + price + ", \"currency\": \"CNY\"}}").getBytes());
    return skuId;
  }

  /** Null when the node did not answer (stopped, restarting). */
  public static Reply signed(Node node, Channel c, String method, String path, String body) {
    return signed(http, node, c, method, path, body);
  }

  /** The same, through the caller's own client (e.g. one whose threads it counts). */
  public static Reply signed(HttpClient http, Node node, Channel c, String method, String path, String body) {
    return signed(http, node.httpPort(), c, method, path, body);
  }

  /** To a node listening on {@code port} (e.g. one in another process). */
  public static Reply signed(int port, Channel c, String method, String path, String body) {
    return signed(http, port, c, method, path, body);
  }

  private static Reply signed(HttpClient http, int port, Channel c, String method, String path, String body) {
    try {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> response = http.send(request(port, method, path, bytes, Signature.of(c, path, bytes)),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), JSON.readTree(response.body()));
    } catch (Exception notAnswered) {
      return null;
    }
  }

  /** A signed request with any bytes as its body, answered as it came (not parsed). */
  public static HttpTestClient.Response signedRaw(int port, Channel c, String method, String pathWithQuery,
      byte[] body) {
    return send(port, method, pathWithQuery, body, Signature.of(c, pathWithQuery, body));
  }

  /**
   * What a request's signature covers, each part in the test's hands: a forgery is a valid
   * signature with one part changed.
   */
  public record Signature(String key, String secret, long timestamp, String nonce, String signedPath,
      byte[] signedBody) {

    public static Signature of(Channel c, String path, byte[] body) {
      return new Signature(c.key(), c.secret(), System.currentTimeMillis(), Partners.nonce(), path, body);
    }

    public Signature withKey(String other) {
      return new Signature(other, secret, timestamp, nonce, signedPath, signedBody);
    }

    public Signature withSecret(String other) {
      return new Signature(key, other, timestamp, nonce, signedPath, signedBody);
    }

    public Signature at(long epochMillis) {
      return new Signature(key, secret, epochMillis, nonce, signedPath, signedBody);
    }

    public Signature withNonce(String other) {
      return new Signature(key, secret, timestamp, other, signedPath, signedBody);
    }

    public Signature over(String path, byte[] body) {
      return new Signature(key, secret, timestamp, nonce, path, body);
    }

    String header(String method) {
      return RequestSignature.sign(secret, RequestSignature.canonical(method, signedPath, Long.toString(timestamp),
          nonce, signedBody));
    }
  }

  public static String nonce() {
    return "n-" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Sends {@code body} to {@code path} with the headers {@code signature} makes. */
  public static HttpTestClient.Response send(int port, String method, String path, byte[] body, Signature signature) {
    try {
      HttpResponse<String> response = http.send(request(port, method, path, body, signature),
          HttpResponse.BodyHandlers.ofString());
      return new HttpTestClient.Response(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A channel's signed request, for a caller that sends it on its own client (asynchronously, say). */
  public static HttpRequest request(int port, Channel c, String method, String path, byte[] body) {
    return request(port, method, path, body, Signature.of(c, path, body));
  }

  private static HttpRequest request(int port, String method, String path, byte[] body, Signature signature) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json").header("X-Quanyi-Key", signature.key())
        .header("X-Quanyi-Timestamp", Long.toString(signature.timestamp())).header("X-Quanyi-Nonce", signature.nonce())
        .header("X-Quanyi-Signature", signature.header(method))
        .build();
  }

  public static JsonNode account(HttpTestClient admin, Channel c) {
    return admin.get("/admin/v1/channels/" + c.id(), TestNodes.ADMIN_TOKEN).json().path("account");
  }

  public static JsonNode stock(HttpTestClient admin, String skuId) {
    return admin.get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN).json().path("stock");
  }

  public static String order(String no, String skuId) {
    return "{\"clientOrderNo\": \"" + no + "\", \"skuId\": \"" + skuId
        + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u\", \"ip\": \"198.51.100.4\"}}";
  }
}
