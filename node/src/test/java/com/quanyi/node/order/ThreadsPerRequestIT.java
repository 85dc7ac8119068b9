package com.quanyi.node.order;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Reply;
import com.quanyi.node.testkit.RunningNodes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The order path starts no thread per request. On two cores every {@code *Async} continuation
 * without an executor starts a thread (the common pool has parallelism 1), and Pekko's Java ask
 * turns plain continuations into such stages: the order path once started about four threads per
 * request. The JVM's count of threads started, around hundreds of requests from a client whose
 * own threads are started beforehand, catches any return of that.
 */
class ThreadsPerRequestIT {

  @RegisterExtension
  static final RunningNodes nodes = RunningNodes.one();

  private static final int CLIENTS = 8;
  private static final int REQUESTS = 400;
  /** Pools that grow once under load (HTTP, driver, dispatchers) may start a few; per request is hundreds. */
  private static final int ALLOWED = 25;

  private static ExecutorService clients;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    clients = Executors.newFixedThreadPool(CLIENTS);
    http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  @AfterAll
  static void stop() {
    clients.shutdownNow();
  }

  @Test
  void soldOutRefusalsStartNoThreadPerRequest() throws Exception {
    Channel c = channel(nodes.admin(), 1_000_000);
    String skuId = stockedSku(nodes.admin(), c, 1, 100);
    assertEquals(201, signed(http, nodes.node(), c, "POST", "/api/v1/orders", order("FIRST", skuId)).status());
    Map<Integer, Integer> statuses = load(i -> signed(http, nodes.node(), c, "POST", "/api/v1/orders",
        order("SOLD-OUT-" + i, skuId)));
    assertEquals(Map.of(422, REQUESTS), statuses);
  }

  @Test
  void deliveredOrdersStartNoThreadPerRequest() throws Exception {
    Channel c = channel(nodes.admin(), 10_000_000);
    String skuId = stockedSku(nodes.admin(), c, 2 * REQUESTS + 10, 100);
    Map<Integer, Integer> statuses = load(i -> signed(http, nodes.node(), c, "POST", "/api/v1/orders",
        order("DELIVERED-" + i, skuId)));
    assertEquals(Map.of(201, REQUESTS), statuses);
  }

  @Test
  void signedReadsStartNoThreadPerRequest() throws Exception {
    Channel c = channel(nodes.admin(), 1_000);
    Map<Integer, Integer> statuses = load(i -> signed(http, nodes.node(), c, "GET", "/api/v1/balance", ""));
    assertEquals(Map.of(200, REQUESTS), statuses);
  }

  /** Warms the path up (pools grow, classes load), then counts threads started over the measured requests. */
  private static Map<Integer, Integer> load(IntFunction<Reply> request) throws Exception {
    run(request, -REQUESTS / 4, 0);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = threads.getTotalStartedThreadCount();
    Map<Integer, Integer> statuses = run(request, 0, REQUESTS);
    long started = threads.getTotalStartedThreadCount() - before;
    assertTrue(started <= ALLOWED, started + " threads started during " + REQUESTS + " requests");
    return statuses;
  }

  private static Map<Integer, Integer> run(IntFunction<Reply> request, int from, int to) throws Exception {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger(from);
    List<Future<?>> running = IntStream.range(0, CLIENTS).<Future<?>>mapToObj(n -> clients.submit(() -> {
      for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
        Reply reply = request.apply(i);
        statuses.merge(reply == null ? -1 : reply.status(), 1, Integer::sum);
      }
    })).toList();
    for (Future<?> f : running) {
      f.get();
    }
    return statuses;
  }
}
