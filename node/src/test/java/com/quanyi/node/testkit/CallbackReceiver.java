package com.quanyi.node.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's callback server for tests: a real HTTP server that records every callback it is
 * sent (event id, signature header, raw body) and answers {@link #answer(int)} (200 by default).
 */
public final class CallbackReceiver implements AutoCloseable {

  public record Received(String eventId, String signature, String body, int answered) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  public CallbackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int answer = status.get();
      received.add(new Received(exchange.getRequestHeaders().getFirst("X-Quanyi-Event-Id"),
          exchange.getRequestHeaders().getFirst("X-Quanyi-Signature"), body, answer));
      exchange.sendResponseHeaders(answer, -1);
      exchange.close();
    });
    server.start();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public void answer(int statusCode) {
    status.set(statusCode);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Callbacks this server acknowledged (2xx), first delivery of each event id. */
  public List<Received> acknowledged() {
    return received.stream().filter(r -> r.answered() / 100 == 2)
        .filter(distinctBy(Received::eventId)).toList();
  }

  private static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, ?> key) {
    java.util.Set<Object> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    return t -> seen.add(key.apply(t));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
