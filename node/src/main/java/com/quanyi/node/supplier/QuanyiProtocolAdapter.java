package com.quanyi.node.supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.protocol.supplier.TopupRequest;
import com.quanyi.protocol.supplier.TopupResult;
import com.quanyi.protocol.supplier.TopupResult.Failed;
import com.quanyi.protocol.supplier.TopupResult.NotReceived;
import com.quanyi.protocol.supplier.TopupResult.Processing;
import com.quanyi.protocol.supplier.TopupResult.Succeeded;
import com.quanyi.protocol.supplier.TopupResult.Unknown;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The Quanyi supplier protocol (docs/supplier-protocol.md) over HTTP: signed requests, answers
 * read as {@link TopupResult}s. A timeout, a connection broken after it was made, or a 5xx is
 * {@link Unknown}, never a failure: the supplier may have topped up.
 */
public final class QuanyiProtocolAdapter implements SupplierAdapter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http;
  private final URI endpoint;
  private final String apiKey;
  private final String secret;
  private final Duration timeout;
  private final Clock clock;

  /**
   * @param endpoint the supplier's base URI, e.g. {@code https://supplier.example/}
   * @param secret what the supplier issued to Quanyi for signing; kept in memory only
   */
  public QuanyiProtocolAdapter(HttpClient http, URI endpoint, String apiKey, String secret, Duration timeout,
      Clock clock) {
    this.http = http;
    this.endpoint = endpoint;
    this.apiKey = apiKey;
    this.secret = secret;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public CompletionStage<TopupResult> submit(TopupRequest request) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("supplierOrderId", request.supplierOrderId());
    body.put("productCode", request.productCode());
    body.put("account", request.account());
    body.put("faceValue", Map.of("amount", request.faceValue().amount(), "currency", request.faceValue().currency()));
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a top-up request could not be written as JSON", e);
    }
    return send("POST", "/v1/topups", bytes, false);
  }

  @Override
  public CompletionStage<TopupResult> query(String supplierOrderId) {
    return send("GET", "/v1/topups/" + URLEncoder.encode(supplierOrderId, StandardCharsets.UTF_8), new byte[0], true);
  }

  private CompletionStage<TopupResult> send(String method, String path, byte[] body, boolean isQuery) {
    String timestamp = Long.toString(clock.millis());
    byte[] nonceBytes = new byte[16];
    RANDOM.nextBytes(nonceBytes);
    String nonce = HexFormat.of().formatHex(nonceBytes);
    String signature = RequestSignature.sign(secret, RequestSignature.canonical(method, path, timestamp, nonce, body));
    HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("X-Quanyi-Key", apiKey)
        .header("X-Quanyi-Timestamp", timestamp)
        .header("X-Quanyi-Nonce", nonce)
        .header("X-Quanyi-Signature", signature)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> failure != null ? unknown(failure) : read(response, isQuery));
  }

  /**
   * A connection that was never established carried no request: that one is a definite failure
   * (the next supplier may be tried at once). Anything later may have reached the supplier.
   */
  private static TopupResult unknown(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof java.net.ConnectException) {
      return new Failed("UNREACHABLE");
    }
    return new Unknown(cause instanceof HttpTimeoutException ? "no answer in time" : "no answer: " + cause.getClass().getSimpleName());
  }

  private static TopupResult read(HttpResponse<byte[]> response, boolean isQuery) {
    int status = response.statusCode();
    if (isQuery && status == 404) {
      return new NotReceived();
    }
    if (status >= 500) {
      return new Unknown("supplier answered " + status);
    }
    if (status != 200) {
      return new Failed("PROTOCOL_" + status);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      return new Unknown("unreadable answer");
    }
    String state = body.path("status").asText("");
    switch (state) {
      case "SUCCEEDED":
        return new Succeeded(body.path("supplierReference").asText(null));
      case "PROCESSING":
        return new Processing();
      case "FAILED":
        return new Failed(body.path("reason").asText("REJECTED"));
      default:
        return new Unknown("unknown status in answer");
    }
  }
}
