package com.quanyi.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP over a real socket, as a channel or an operator would call the node. */
public final class HttpTestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public HttpTestClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public Response get(String path, String bearer) {
    return send(request(path, bearer).GET().build());
  }

  public Response post(String path, String bearer, String json) {
    return send(request(path, bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public Response send(String method, String path, String bearer, String contentType, byte[] body) {
    HttpRequest.Builder builder = request(path, bearer).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder.build());
  }

  private HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public record Response(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The stable machine code of a problem+json error. */
    public String problemCode() {
      if (!contentType.startsWith("application/problem+json")) {
        throw new AssertionError("expected application/problem+json, got " + contentType + ": " + body);
      }
      return json().path("code").asText();
    }
  }
}
