package com.quanyi.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.TestNodes;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Not a test: signed {@code POST /api/v1/orders} over HTTP on one hot SKU, N clients in a closed
 * loop, each order one unit with a fresh client order number. Prints delivered orders/s, latency
 * percentiles, and the oversell check (distinct codes delivered, stock allocated = delivered).
 *
 * <p>Arguments: {@code [clients] [seconds] [codes]}, default {@code 64 20 200000}. The clients run
 * {@code -Dbench.warmup=S} seconds (default 20) before the measured {@code seconds}: on two cores
 * the JIT compiler alone takes about a third of the CPU in the first half minute, which a cold
 * measurement would report as the platform's cost.
 */
public final class OrderBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code -Dbench.balance-only=true}: signed balance reads instead of orders, to isolate the authentication path. */
  private static final boolean BALANCE_ONLY = Boolean.getBoolean("bench.balance-only");
  /**
   * {@code -Dbench.repeat=true}: each client sends its one order again and again (200 after the
   * first 201): the cost of an order path without a new entity or any journal write.
   */
  private static final boolean REPEAT = Boolean.getBoolean("bench.repeat");
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 20);
  /**
   * {@code -Dbench.risk=on}: a rule set of eight velocity rules over buyers, IPs and devices (none of
   * which the benchmark's traffic trips) is in force, so every order asks three risk profiles.
   * Either way each order comes from a fresh buyer, one of 4,096 IPs and one of 4,096 devices.
   */
  private static final boolean RISK = System.getProperty("bench.risk", "off").equals("on");
  /**
   * {@code -Dbench.subjects=N}: N buyers, each always on its own IP and device (their risk profiles
   * soon all live in memory), instead of a fresh buyer per order and 4,096 IPs and devices:
   * separates judging an order from starting a profile.
   */
  private static final int SUBJECTS = Integer.getInteger("bench.subjects", 0);
  /** Orders delivered during warmup and measurement, for the oversell check. */
  private static final AtomicLong deliveredOrders = new AtomicLong();
  private static volatile boolean measuring;

  private OrderBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int codes = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    try (Node node = TestNodes.startReady(Map.of("quanyi.http.max-body-bytes", "1m",
        "pekko.persistence.cassandra.events-by-tag.enabled", System.getProperty("bench.tags", "on"),
        "quanyi.reporting.run-projections", System.getProperty("bench.projections", "on")))) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      String channelId = "bench-" + UUID.randomUUID();
      JsonNode channel = admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN,
          "{\"channelId\": \"" + channelId + "\", \"name\": \"Bench\"}").json();
      admin.post("/admin/v1/channels/" + channelId + "/deposits", TestNodes.ADMIN_TOKEN,
          "{\"amount\": {\"amount\": 100000000000, \"currency\": \"CNY\"}, \"reference\": \"bench\"}");
      String skuId = "hot-" + UUID.randomUUID();
      admin.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
          {"skuId": "%s", "name": "Flash sale card", "kind": "CARD_CODE", "faceValue": {"amount": 100, "currency": "CNY"},
           "listPrice": {"amount": 90, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(skuId));
      String csv = IntStream.range(0, codes).mapToObj(i -> "B-" + i + "-" + UUID.randomUUID()).collect(Collectors.joining("\n"));
      admin.send("POST", "/admin/v1/skus/" + skuId + "/batches?supplierId=s&unitCost=1", TestNodes.ADMIN_TOKEN, "text/csv",
          csv.getBytes(StandardCharsets.UTF_8));
      admin.send("PUT", "/admin/v1/channels/" + channelId + "/prices/" + skuId, TestNodes.ADMIN_TOKEN, "application/json",
          "{\"price\": {\"amount\": 90, \"currency\": \"CNY\"}}".getBytes());

      if (RISK) {
        RiskRules.replace(admin,
            RiskRules.rule("b-orders-min", channelId, "BUYER", "ORDERS", "MINUTE", 100, "REJECT", "VELOCITY"),
            RiskRules.rule("b-units-hour", channelId, "BUYER", "UNITS", "HOUR", 1000, "REJECT", "VELOCITY"),
            RiskRules.rule("b-amount-day", channelId, "BUYER", "AMOUNT", "DAY", 1_000_000_000, "REVIEW", "BIG_SPENDER"),
            RiskRules.rule("b-ips-hour", channelId, "BUYER", "DISTINCT_IPS", "HOUR", 50, "REVIEW", "MANY_IPS"),
            RiskRules.rule("ip-orders-min", channelId, "IP", "ORDERS", "MINUTE", 100_000, "REJECT", "IP_VELOCITY"),
            RiskRules.rule("ip-farm", channelId, "IP", "DISTINCT_BUYERS", "HOUR", 900, "REJECT", "IP_FARM",
                "\"blockFor\": \"PT1H\""),
            RiskRules.rule("dev-farm", channelId, "DEVICE", "DISTINCT_BUYERS", "DAY", 900, "REJECT", "DEVICE_FARM"),
            RiskRules.rule("dev-orders-min", channelId, "DEVICE", "ORDERS", "MINUTE", 100_000, "REJECT", "DEV_VELOCITY",
                "\"shadow\": true"));
      }
      System.out.println("risk rules in force: " + admin.get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json()
          .path("rules").size());
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String key = channel.path("apiKey").asText();
      String secret = channel.path("apiSecret").asText();
      Set<String> delivered = ConcurrentHashMap.newKeySet();
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      AtomicLong refused = new AtomicLong();
      AtomicBoolean running = new AtomicBoolean(true);
      CompletableFuture<?>[] loops = new CompletableFuture<?>[clients];
      for (int i = 0; i < clients; i++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop(http, node.httpPort(), key, secret, skuId, REPEAT ? "rep-" + i : null, running, delivered, latencies,
            refused, done);
        loops[i] = done;
      }
      ProjectionWatch projections = new ProjectionWatch(admin);
      projections.start();
      Thread.sleep(WARMUP_SECONDS * 1000L);
      admin.send("DELETE", "/admin/v1/risk/stats", TestNodes.ADMIN_TOKEN, null, new byte[0]);
      measuring = true;
      BenchProfiler profiler = BenchProfiler.startIfAsked();
      long started = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      profiler.stop();
      System.out.println("risk step in the measured window: " + admin.get("/admin/v1/risk/stats",
          TestNodes.ADMIN_TOKEN).body());
      long measuredEnd = System.nanoTime();
      running.set(false);
      CompletableFuture.allOf(loops).join();
      double elapsed = (System.nanoTime() - started) / 1e9;
      long loadEnd = System.nanoTime();
      projections.report(started, measuredEnd, loadEnd, projections.events());
      if (Boolean.getBoolean("bench.rebuild")) {
        projections.rebuild("sales");
        projections.rebuild("settlement");
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      long allocated = admin.get("/admin/v1/skus/" + skuId, TestNodes.ADMIN_TOKEN).json().path("stock").path("allocated").asLong();
      System.out.printf("%nclients %d, %d s after %d s warmup: %d orders delivered = %.0f orders/s; p50 %.1f ms, "
              + "p99 %.1f ms; refused %d;%n"
              + "oversell check: %d distinct codes in %d orders delivered, stock allocated %d, imported %d -> %s%n",
          clients, seconds, WARMUP_SECONDS, latencies.size(), latencies.size() / elapsed, percentile(sorted, 0.5),
          percentile(sorted, 0.99), refused.get(), delivered.size(), deliveredOrders.get(), allocated, codes,
          BALANCE_ONLY || delivered.size() == deliveredOrders.get() && allocated == delivered.size() && delivered.size() <= codes
              ? "OK" : "FAILED");
    }
    System.exit(0);
  }

  private static String ip(String random) {
    int h = SUBJECTS > 0 ? Math.floorMod(random.hashCode(), SUBJECTS) : random.hashCode() >>> 20;
    return "10.9." + ((h >> 6) & 63) + "." + (h & 63);
  }

  private static String buyer(String random) {
    return SUBJECTS > 0 ? "u-" + Math.floorMod(random.hashCode(), SUBJECTS) : "u-" + random.substring(0, 8);
  }

  private static int device(String random) {
    return SUBJECTS > 0 ? Math.floorMod(random.hashCode(), SUBJECTS) : random.hashCode() & 4095;
  }

  private static void loop(HttpClient http, int port, String key, String secret, String skuId, String repeatNo,
      AtomicBoolean running,
      Set<String> delivered, ConcurrentLinkedQueue<Long> latencies, AtomicLong refused, CompletableFuture<Void> done) {
    if (!running.get()) {
      done.complete(null);
      return;
    }
    String random = UUID.randomUUID().toString().replace("-", "");
    String no = repeatNo != null ? repeatNo : random;
    String userId = repeatNo != null ? "u-" + repeatNo : buyer(random);
    byte[] body = ("{\"clientOrderNo\": \"" + no + "\", \"skuId\": \"" + skuId + "\", \"quantity\": 1, "
        + "\"buyer\": {\"userId\": \"" + userId + "\", \"ip\": \"" + ip(random) + "\", \"deviceId\": \"dev-"
        + device(random) + "\"}}").getBytes(StandardCharsets.UTF_8);
    Channel channel = new Channel("bench", key, secret);
    long start = System.nanoTime();
    if (BALANCE_ONLY) {
      http.sendAsync(Partners.request(port, channel, "GET", "/api/v1/balance", new byte[0]),
              HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() == 200) {
              if (measuring && running.get()) {
                latencies.add(System.nanoTime() - start);
              }
            } else {
              refused.incrementAndGet();
            }
            loop(http, port, key, secret, skuId, repeatNo, running, delivered, latencies, refused, done);
          });
      return;
    }
    http.sendAsync(Partners.request(port, channel, "POST", "/api/v1/orders", body), HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, failure) -> {
          if (failure == null && (response.statusCode() == 201 || REPEAT && response.statusCode() == 200)) {
            if (response.statusCode() == 201) {
              deliveredOrders.incrementAndGet();
            }
            if (measuring && running.get()) {
              latencies.add(System.nanoTime() - start);
            }
            try {
              JSON.readTree(response.body()).path("codes").forEach(c -> delivered.add(c.path("code").asText()));
            } catch (Exception e) {
              refused.incrementAndGet();
            }
          } else {
            refused.incrementAndGet();
          }
          loop(http, port, key, secret, skuId, repeatNo, running, delivered, latencies, refused, done);
        });
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }
}
