package com.quanyi.node.supplier.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.http.channel.RequestSignature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A supplier speaking the Quanyi supplier protocol (docs/supplier-protocol.md): a real HTTP server
 * with its own ledger of what it really topped up, and a {@link SimulatedBehavior} that tests and
 * benchmarks change at run time (in this JVM, or over {@code PUT /sim/behavior} from another).
 * It verifies Quanyi's signatures (key, secret, ±300 s, nonce once) like a careful supplier.
 *
 * <p>Run alone: {@code mvn -q -pl node exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.quanyi.node.supplier.sim.SupplierSimulator -Dexec.args="9100 sim-key sim-secret"}.
 */
public final class SupplierSimulator implements AutoCloseable {

  /** One top-up as the supplier's books hold it. */
  public record Topup(String supplierOrderId, String productCode, String account, long amount, String status,
      String reason, String reference) {}

  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
  private static final long WINDOW_MILLIS = 300_000;

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private final String apiKey;
  private final String secret;
  private final Map<String, Topup> ledger = new ConcurrentHashMap<>();
  private final Set<String> nonces = ConcurrentHashMap.newKeySet();
  private final AtomicLong references = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final Random random;
  private volatile SimulatedBehavior behavior = SimulatedBehavior.healthy();

  public SupplierSimulator(int port, String apiKey, String secret, long seed) throws IOException {
    this.apiKey = apiKey;
    this.secret = secret;
    this.random = new Random(seed);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.setExecutor(handlers);
    server.createContext("/v1/topups", this::topups);
    server.createContext("/sim/behavior", this::behaviorEndpoint);
    server.createContext("/sim/ledger", exchange -> respond(exchange, 200, Map.of("topups", List.copyOf(ledger.values()))));
    server.start();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9100;
    SupplierSimulator simulator = new SupplierSimulator(port, args.length > 1 ? args[1] : "sim-key",
        args.length > 2 ? args[2] : "sim-secret", System.nanoTime());
    System.out.println("supplier simulator on " + simulator.uri());
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    Thread.currentThread().join();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  public void behave(SimulatedBehavior next) {
    behavior = next;
  }

  /** Every top-up the supplier really performed (SUCCEEDED), once per supplier order id. */
  public List<Topup> toppedUp() {
    return ledger.values().stream().filter(t -> t.status().equals("SUCCEEDED")).toList();
  }

  public Map<String, Topup> ledger() {
    return Map.copyOf(ledger);
  }

  /** Top-up and query requests received, signed or not. */
  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    later.shutdownNow();
  }

  private void topups(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (!authentic(exchange, body)) {
      respond(exchange, 401, Map.of("code", "UNAUTHENTICATED"));
      return;
    }
    SimulatedBehavior now = behavior;
    pause(now.latency());
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    if (method.equals("GET") && path.startsWith("/v1/topups/")) {
      Topup topup = ledger.get(URLDecoder.decode(path.substring("/v1/topups/".length()), StandardCharsets.UTF_8));
      respond(exchange, topup == null ? 404 : 200, topup == null ? Map.of("code", "NOT_FOUND") : answer(topup));
      return;
    }
    if (!method.equals("POST") || !path.equals("/v1/topups")) {
      respond(exchange, 404, Map.of("code", "NOT_FOUND"));
      return;
    }
    JsonNode request = JSON.readTree(body);
    String id = request.path("supplierOrderId").asText("");
    if (id.isEmpty()) {
      respond(exchange, 400, Map.of("code", "INVALID_REQUEST"));
      return;
    }
    Topup fresh = new Topup(id, request.path("productCode").asText(), request.path("account").asText(),
        request.path("faceValue").path("amount").asLong(), null, null, null);
    Topup existing = ledger.get(id);
    if (existing != null) {
      boolean same = existing.productCode().equals(fresh.productCode()) && existing.account().equals(fresh.account())
          && existing.amount() == fresh.amount();
      respond(exchange, same ? 200 : 409, same ? answer(existing) : Map.of("code", "IDEMPOTENCY_MISMATCH"));
      return;
    }
    double draw;
    synchronized (random) {
      draw = random.nextDouble();
    }
    if (draw < now.errorRate()) {
      respond(exchange, 500, Map.of("code", "INTERNAL"));
      return;
    }
    if (draw < now.errorRate() + now.lostRate()) {
      Topup late = with(fresh, "SUCCEEDED", null, "S-" + references.incrementAndGet());
      later.schedule(() -> ledger.putIfAbsent(id, late), now.lateAfter().toMillis(), TimeUnit.MILLISECONDS);
      respond(exchange, 500, Map.of("code", "INTERNAL"));
      return;
    }
    Topup decided;
    if (now.outOfStock()) {
      decided = with(fresh, "FAILED", "OUT_OF_STOCK", null);
    } else if (draw < now.errorRate() + now.lostRate() + now.hangRate()) {
      decided = with(fresh, "SUCCEEDED", null, "S-" + references.incrementAndGet());
      Topup raced = ledger.putIfAbsent(id, decided);
      pause(now.hang());
      respond(exchange, 200, answer(raced == null ? decided : raced));
      return;
    } else if (draw < now.errorRate() + now.lostRate() + now.hangRate() + now.lateRate()) {
      decided = with(fresh, "PROCESSING", null, null);
      later.schedule(() -> ledger.computeIfPresent(id, (k, t) -> t.status().equals("PROCESSING")
          ? with(t, "SUCCEEDED", null, "S-" + references.incrementAndGet()) : t),
          now.lateAfter().toMillis(), TimeUnit.MILLISECONDS);
    } else {
      decided = with(fresh, "SUCCEEDED", null, "S-" + references.incrementAndGet());
    }
    Topup raced = ledger.putIfAbsent(id, decided);
    respond(exchange, 200, answer(raced == null ? decided : raced));
  }

  private boolean authentic(HttpExchange exchange, byte[] body) {
    String key = exchange.getRequestHeaders().getFirst("X-Quanyi-Key");
    String timestamp = exchange.getRequestHeaders().getFirst("X-Quanyi-Timestamp");
    String nonce = exchange.getRequestHeaders().getFirst("X-Quanyi-Nonce");
    String signature = exchange.getRequestHeaders().getFirst("X-Quanyi-Signature");
    if (!apiKey.equals(key) || timestamp == null || nonce == null || signature == null) {
      return false;
    }
    long millis;
    try {
      millis = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    URI uri = exchange.getRequestURI();
    String pathWithQuery = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    return Math.abs(System.currentTimeMillis() - millis) <= WINDOW_MILLIS
        && RequestSignature.verify(secret, RequestSignature.canonical(exchange.getRequestMethod(), pathWithQuery,
            timestamp, nonce, body), signature)
        && nonces.add(nonce);
  }

  private static Topup with(Topup t, String status, String reason, String reference) {
    return new Topup(t.supplierOrderId(), t.productCode(), t.account(), t.amount(), status, reason, reference);
  }

  private static Map<String, Object> answer(Topup t) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("supplierOrderId", t.supplierOrderId());
    body.put("status", t.status());
    if (t.reason() != null) {
      body.put("reason", t.reason());
    }
    if (t.reference() != null) {
      body.put("supplierReference", t.reference());
    }
    return body;
  }

  private void behaviorEndpoint(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("PUT")) {
      respond(exchange, 200, behavior);
      return;
    }
    try {
      behavior = JSON.readValue(exchange.getRequestBody().readAllBytes(), SimulatedBehavior.class);
      respond(exchange, 200, behavior);
    } catch (IOException e) {
      respond(exchange, 400, Map.of("code", "INVALID_REQUEST"));
    }
  }

  private static void pause(Duration duration) {
    if (!duration.isZero()) {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      // The client gave up waiting (a hang): what the supplier did stands in its ledger.
    } finally {
      exchange.close();
    }
  }
}
