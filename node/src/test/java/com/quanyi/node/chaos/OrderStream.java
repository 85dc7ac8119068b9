package com.quanyi.node.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel's order traffic as a well-behaved integration sends it: each client places orders one
 * after another, and repeats an order with the same number (signed anew) on the next node after a
 * timeout, a 5xx, a 429 or no answer at all, until it gets a definite answer. Records what a
 * channel would know: every 201 with its codes and when it came.
 */
final class OrderStream implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A channel gives up on one attempt after this and repeats it elsewhere. */
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);

  /** A delivered order as answered: its number, its codes, when (epoch ms). */
  record Delivered(String orderNo, List<String> codes, long at) {}

  private final ChaosCluster cluster;
  private final Channel channel;
  private final String skuId;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> clients = new ArrayList<>();
  final Map<String, Delivered> delivered = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
  /** Order numbers sent at least once: each may exist even if never answered. */
  final Map<String, Boolean> sent = new ConcurrentHashMap<>();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong serverErrors = new AtomicLong();
  final AtomicLong unanswered = new AtomicLong();

  OrderStream(ChaosCluster cluster, Channel channel, String skuId, int clientCount, String prefix) {
    this.cluster = cluster;
    this.channel = channel;
    this.skuId = skuId;
    for (int c = 0; c < clientCount; c++) {
      int client = c;
      Thread thread = new Thread(() -> run(prefix + client + "-", client), "chaos-client-" + c);
      thread.setDaemon(true);
      clients.add(thread);
    }
  }

  void start() {
    clients.forEach(Thread::start);
  }

  private void run(String prefix, int client) {
    for (int i = 0; running.get(); i++) {
      String no = prefix + i;
      sent.put(no, true);
      for (int attempt = 0; running.get() || attempt > 0; attempt++) {
        int node = (client + attempt) % cluster.size();
        if (attempt > 0) {
          retries.incrementAndGet();
          pause(attempt);
        }
        if (!cluster.isUp(node)) {
          continue;
        }
        if (definite(no, node)) {
          break;
        }
        if (!running.get() && attempt > 200) {
          break;
        }
      }
    }
  }

  /** One attempt; true once the order has a definite answer (delivered or refused). */
  private boolean definite(String no, int node) {
    requests.incrementAndGet();
    String body = "{\"clientOrderNo\": \"" + no + "\", \"skuId\": \"" + skuId
        + "\", \"quantity\": 1, \"buyer\": {\"userId\": \"u\", \"ip\": \"198.51.100.4\"}}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(Partners.request(cluster.httpPort(node), channel, "POST",
        "/api/v1/orders", bytes), (name, value) -> true).timeout(ATTEMPT_TIMEOUT).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } catch (Exception noAnswer) {
      unanswered.incrementAndGet();
      return false;
    }
    int status = response.statusCode();
    if (status == 201 || status == 200) {
      List<String> codes = new ArrayList<>();
      try {
        JSON.readTree(response.body()).path("codes").forEach(code -> codes.add(code.path("code").asText()));
      } catch (Exception unreadable) {
        throw new IllegalStateException("an unreadable order: " + response.body());
      }
      Delivered earlier = delivered.putIfAbsent(no, new Delivered(no, codes, System.currentTimeMillis()));
      if (earlier != null && !earlier.codes().equals(codes)) {
        throw new IllegalStateException(no + " answered twice with different codes");
      }
      return true;
    }
    if (status >= 500) {
      serverErrors.incrementAndGet();
      return false;
    }
    if (status == 429) {
      return false;
    }
    refusals.add(no + " " + status + " " + response.body());
    return true;
  }

  /** The longest time without a 201 among the 201s answered within [from, to] (and the ones around). */
  long longestGapMillis(long from, long to) {
    List<Long> times = delivered.values().stream().map(Delivered::at).sorted().toList();
    long longest = 0;
    for (int i = 1; i < times.size(); i++) {
      long previous = times.get(i - 1);
      long next = times.get(i);
      if (next >= from && previous <= to) {
        longest = Math.max(longest, next - Math.max(previous, from));
      }
    }
    return longest;
  }

  /** The 201s of each second from {@code from} to {@code to}, as "12 15 0 0 3 ...". */
  String perSecond(long from, long to) {
    int seconds = (int) Math.max(1, (to - from + 999) / 1000);
    int[] counts = new int[seconds];
    delivered.values().stream().mapToLong(Delivered::at).filter(at -> at >= from && at < to)
        .forEach(at -> counts[(int) ((at - from) / 1000)]++);
    StringBuilder out = new StringBuilder();
    for (int count : counts) {
      out.append(out.isEmpty() ? "" : " ").append(count);
    }
    return out.toString();
  }

  long deliveredBetween(long from, long to) {
    return delivered.values().stream().filter(d -> d.at() >= from && d.at() <= to).count();
  }

  /** Stops sending new orders; the ones under way finish (each until a definite answer). */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread client : clients) {
      client.join(Duration.ofMinutes(2).toMillis());
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1000, 100L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
