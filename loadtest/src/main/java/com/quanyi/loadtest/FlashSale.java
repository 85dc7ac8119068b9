package com.quanyi.loadtest;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A flash sale against a running Quanyi: sets a scenario up through the admin API, then N clients
 * in a closed loop send signed orders over keep-alive connections for a warmup and a measured
 * window, and the run ends with the invariants checked from outside.
 *
 * <pre>
 * java -jar loadtest/target/quanyi-loadtest.jar --url http://127.0.0.1:8080 --token $TOKEN \
 *   --scenario hot|soldout|mix|retry|bundle --clients 64 --seconds 30 --warmup 20 --codes 200000 \
 *   [--at-start 'shell command'] [--at-end 'shell command']
 * </pre>
 *
 * The {@code --at-start}/{@code --at-end} commands run at the edges of the measured window (e.g. to
 * snapshot Cassandra's counters); {@code RESULT name=value} lines are for scripts.
 */
public final class FlashSale {

  private FlashSale() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:8080"));
    String token = options.getOrDefault("token", System.getenv().getOrDefault("QUANYI_ADMIN_TOKEN", ""));
    int clients = Integer.parseInt(options.getOrDefault("clients", "64"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "20"));
    int codes = Integer.parseInt(options.getOrDefault("codes", "200000"));
    String scenarioName = options.getOrDefault("scenario", "hot");
    if (token.isBlank()) {
      throw new IllegalArgumentException("--token (or QUANYI_ADMIN_TOKEN) is the admin token");
    }
    Scenario scenario = Scenario.named(scenarioName, codes);
    Admin admin = new Admin(url.toString().replaceAll("/$", ""), token);
    long setUpStart = System.nanoTime();
    scenario.setUp(admin);
    System.out.printf("scenario %s set up in %.1f s%n", scenarioName, (System.nanoTime() - setUpStart) / 1e9);

    Tally tally = new Tally(clients);
    Load load = new Load(url, scenario, tally, clients);
    load.start();
    Thread.sleep(warmup * 1000L);
    Map<String, Long> beforeStartHook = tally.outcomes();
    run(options.get("at-start"));
    Map<String, Long> before = tally.outcomes();
    tally.measuring(true);
    long started = System.nanoTime();
    long deadline = started + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline && !scenario.exhausted(tally)) {
      Thread.sleep(50);
    }
    tally.measuring(false);
    double elapsed = (System.nanoTime() - started) / 1e9;
    Map<String, Long> after = tally.outcomes();
    run(options.get("at-end"));
    Map<String, Long> afterHook = tally.outcomes();
    load.stop();

    Map<String, Long> window = new HashMap<>();
    after.forEach((k, v) -> window.put(k, v - before.getOrDefault(k, 0L)));
    long delivered = window.getOrDefault("201", 0L);
    long repeats = window.getOrDefault("200", 0L);
    long refused = refusals(window);
    long[] latencies = tally.latencies();
    System.out.printf("%n%s: %d clients, %.1f s measured after %d s warmup%n", scenarioName, clients, elapsed, warmup);
    System.out.printf("outcomes in the window: %s%n", new java.util.TreeMap<>(window));
    System.out.printf("outcomes in the whole run: %s%n", afterHook);
    System.out.printf("delivered %.0f/s, repeats %.0f/s, refused %.0f/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        delivered / elapsed, repeats / elapsed, refused / elapsed, ms(latencies, 0.5), ms(latencies, 0.99),
        ms(latencies, 1.0));
    int violations = Checks.codes(tally, System.out) + scenario.check(admin, tally, System.out);
    result("scenario", scenarioName);
    result("clients", clients);
    result("seconds", String.format("%.1f", elapsed));
    result("delivered", delivered);
    result("refused", refused);
    result("repeats", repeats);
    result("delivered_per_s", String.format("%.0f", delivered / elapsed));
    result("refused_per_s", String.format("%.0f", refused / elapsed));
    result("p50_ms", String.format("%.1f", ms(latencies, 0.5)));
    result("p99_ms", String.format("%.1f", ms(latencies, 0.99)));
    result("max_ms", String.format("%.1f", ms(latencies, 1.0)));
    // The hooks' snapshots are taken somewhere inside the hooks: what was answered between them lies
    // between these two counts, and their middle is the denominator for per-order costs.
    for (String outcome : new String[] {"201", "200"}) {
      long inner = after.getOrDefault(outcome, 0L) - before.getOrDefault(outcome, 0L);
      long outer = afterHook.getOrDefault(outcome, 0L) - beforeStartHook.getOrDefault(outcome, 0L);
      result("between_snapshots_" + outcome, (inner + outer) / 2);
    }
    long innerRefused = refusals(after) - refusals(before);
    long outerRefused = refusals(afterHook) - refusals(beforeStartHook);
    result("between_snapshots_refused", (innerRefused + outerRefused) / 2);
    result("violations", violations);
    System.exit(violations == 0 ? 0 : 1);
  }

  private static long refusals(Map<String, Long> outcomes) {
    return outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("4") || e.getKey().startsWith("5"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  private static void result(String name, Object value) {
    System.out.println("RESULT " + name + "=" + value);
  }

  private static double ms(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }

  private static void run(String command) throws IOException, InterruptedException {
    if (command != null && !command.isBlank()) {
      new ProcessBuilder("bash", "-c", command).inheritIO().start().waitFor();
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("options are --name value pairs: " + String.join(" ", args));
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  /** The client threads: each one connection, one request at a time. */
  private static final class Load {
    private final URI url;
    private final Scenario scenario;
    private final Tally tally;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Load(URI url, Scenario scenario, Tally tally, int clients) {
      this.url = url;
      this.scenario = scenario;
      this.tally = tally;
      for (int i = 0; i < clients; i++) {
        int client = i;
        threads.add(new Thread(() -> loop(client), "client-" + i));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join();
      }
    }

    private void loop(int client) {
      Random random = new Random(ThreadLocalRandom.current().nextLong());
      SplittableRandom nonces = new SplittableRandom(random.nextLong());
      Map<String, Signer> signers = new HashMap<>();
      try (Connection connection = new Connection(url.getHost(), url.getPort())) {
        while (running) {
          Order order = scenario.next(client, random);
          byte[] body = order.body();
          String timestamp = Long.toString(System.currentTimeMillis());
          String nonce = Long.toHexString(nonces.nextLong() | Long.MIN_VALUE) + Long.toHexString(nonces.nextLong() | Long.MIN_VALUE);
          Signer signer = signers.computeIfAbsent(order.channel().id(), id -> new Signer(order.channel().secret()));
          String headers = "X-Quanyi-Key: " + order.channel().key() + "\r\nX-Quanyi-Timestamp: " + timestamp
              + "\r\nX-Quanyi-Nonce: " + nonce + "\r\nX-Quanyi-Signature: "
              + signer.sign("POST", "/api/v1/orders", timestamp, nonce, body) + "\r\n";
          long start = System.nanoTime();
          try {
            Connection.Response response = connection.send("POST", "/api/v1/orders", headers, body);
            tally.record(client, order, response, System.nanoTime() - start);
          } catch (IOException e) {
            tally.failed(client);
          }
        }
      }
    }
  }
}
