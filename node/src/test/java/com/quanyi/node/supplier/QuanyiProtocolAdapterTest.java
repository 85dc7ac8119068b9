package com.quanyi.node.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.supplier.sim.SimulatedBehavior;
import com.quanyi.node.supplier.sim.SupplierSimulator;
import com.quanyi.node.testkit.Await;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.supplier.TopupRequest;
import com.quanyi.protocol.supplier.TopupResult;
import com.quanyi.protocol.supplier.TopupResult.Failed;
import com.quanyi.protocol.supplier.TopupResult.NotReceived;
import com.quanyi.protocol.supplier.TopupResult.Processing;
import com.quanyi.protocol.supplier.TopupResult.Succeeded;
import com.quanyi.protocol.supplier.TopupResult.Unknown;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our supplier protocol, adapter against simulator, over real sockets. */
class QuanyiProtocolAdapterTest {

  /** Generous: the first request of a cold JVM on a busy machine takes a while. */
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final HttpClient http = HttpClient.newHttpClient();
  private SupplierSimulator supplier;
  private QuanyiProtocolAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    supplier = new SupplierSimulator(0, "quanyi-at-sup", "sup-issued-secret", 7);
    adapter = new QuanyiProtocolAdapter(http, supplier.uri(), "quanyi-at-sup", "sup-issued-secret", TIMEOUT,
        Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    supplier.close();
  }

  private static TopupRequest topup(String id) {
    return new TopupRequest(id, "cmcc-50", "13800138000", Money.of(5000, "CNY"));
  }

  private TopupResult submit(TopupRequest request) {
    return adapter.submit(request).toCompletableFuture().join();
  }

  private TopupResult query(String id) {
    return adapter.query(id).toCompletableFuture().join();
  }

  @Test
  void aTopupSentTwiceIsToppedUpOnce() {
    Succeeded first = assertInstanceOf(Succeeded.class, submit(topup("q-1")));
    assertEquals(first, submit(topup("q-1")), "the same attempt answers the first result");
    assertEquals(first, query("q-1"));
    assertEquals(1, supplier.toppedUp().size());
    assertEquals(new Failed("PROTOCOL_409"),
        submit(new TopupRequest("q-1", "cmcc-50", "13900000000", Money.of(5000, "CNY"))),
        "other content under the same id is refused");
    assertEquals(1, supplier.toppedUp().size());
  }

  @Test
  void fiftyConcurrentSubmitsOfOneAttemptTopUpOnce() {
    List<CompletableFuture<TopupResult>> all = IntStream.range(0, 50)
        .mapToObj(i -> adapter.submit(topup("q-race")).toCompletableFuture()).toList();
    List<TopupResult> results = all.stream().map(CompletableFuture::join).toList();
    assertEquals(1, results.stream().distinct().count(), results.toString());
    assertEquals(1, supplier.toppedUp().size());
  }

  @Test
  void aWrongSignatureIsRefusedAndNothingIsToppedUp() {
    QuanyiProtocolAdapter forged = new QuanyiProtocolAdapter(http, supplier.uri(), "quanyi-at-sup", "guessed",
        TIMEOUT, Clock.systemUTC());
    TopupResult result = forged.submit(topup("q-2")).toCompletableFuture().join();
    assertEquals(new Failed("PROTOCOL_401"), result);
    assertTrue(result.definitelyNotToppedUp());
    QuanyiProtocolAdapter stale = new QuanyiProtocolAdapter(http, supplier.uri(), "quanyi-at-sup", "sup-issued-secret",
        TIMEOUT, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)));
    assertEquals(new Failed("PROTOCOL_401"), stale.submit(topup("q-2")).toCompletableFuture().join());
    assertTrue(supplier.ledger().isEmpty());
  }

  @Test
  void aServerErrorIsUnknownUntilAQueryShowsItWasNeverReceived() {
    supplier.behave(SimulatedBehavior.healthy().withErrorRate(1));
    TopupResult result = submit(topup("q-3"));
    assertInstanceOf(Unknown.class, result);
    assertTrue(!result.definitelyNotToppedUp(), "a 5xx proves nothing");
    assertEquals(new NotReceived(), query("q-3"));
    assertTrue(supplier.ledger().isEmpty());
  }

  @Test
  void aTimeoutIsUnknownAndTheQueryFindsTheTopupTheSupplierDidMeanwhile() {
    QuanyiProtocolAdapter impatient = new QuanyiProtocolAdapter(http, supplier.uri(), "quanyi-at-sup",
        "sup-issued-secret", Duration.ofMillis(500), Clock.systemUTC());
    supplier.behave(SimulatedBehavior.healthy().withHang(1, Duration.ofSeconds(2)));
    assertEquals(new Unknown("no answer in time"), impatient.submit(topup("q-4")).toCompletableFuture().join());
    supplier.behave(SimulatedBehavior.healthy());
    assertInstanceOf(Succeeded.class, query("q-4"), "the ambiguous attempt did top up: routing must not try elsewhere");
    assertEquals(1, supplier.toppedUp().size());
  }

  @Test
  void anAcceptedTopupSucceedsLater() throws Exception {
    supplier.behave(SimulatedBehavior.healthy().withLate(1, Duration.ofSeconds(1)));
    assertEquals(new Processing(), submit(topup("q-5")));
    assertEquals(new Processing(), query("q-5"));
    Await.until("the accepted top-up succeeds", Duration.ofSeconds(10),
        () -> query("q-5") instanceof Succeeded);
    assertEquals(1, supplier.toppedUp().size());
  }

  @Test
  void outOfStockIsADefiniteFailure() {
    supplier.behave(SimulatedBehavior.healthy().withOutOfStock(true));
    TopupResult result = submit(topup("q-6"));
    assertEquals(new Failed("OUT_OF_STOCK"), result);
    assertTrue(result.definitelyNotToppedUp());
    assertTrue(supplier.toppedUp().isEmpty());
  }

  @Test
  void aSupplierThatCannotBeReachedDidNotTopUp() {
    supplier.close();
    TopupResult result = submit(topup("q-7"));
    assertEquals(new Failed("UNREACHABLE"), result);
    assertTrue(result.definitelyNotToppedUp(), "no connection, no request");
  }

  @Test
  void anotherProcessCanChangeTheBehaviorOverHttp() throws Exception {
    var response = http.send(java.net.http.HttpRequest.newBuilder(supplier.uri().resolve("/sim/behavior"))
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
            {"latency": "PT0S", "errorRate": 0, "hangRate": 0, "hang": "PT5S", "lateRate": 0, "lateAfter": "PT1S",
             "outOfStock": true}""")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(new Failed("OUT_OF_STOCK"), submit(topup("q-8")));
  }
}
