package com.quanyi.node.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.supplier.SupplierRouter.AllFailed;
import com.quanyi.node.supplier.SupplierRouter.AttemptLog;
import com.quanyi.node.supplier.SupplierRouter.Delivered;
import com.quanyi.node.supplier.SupplierRouter.Outcome;
import com.quanyi.node.supplier.SupplierRouter.Route;
import com.quanyi.node.supplier.SupplierRouter.Undecided;
import com.quanyi.node.supplier.sim.SimulatedBehavior;
import com.quanyi.node.supplier.sim.SupplierSimulator;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.ManualClock;
import com.quanyi.protocol.Money;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failover across real simulated suppliers over HTTP: one top-up per order, whatever they do. */
class SupplierRouterTest {

  private static final Money FIFTY = Money.of(5000, "CNY");
  private final HttpClient http = HttpClient.newHttpClient();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final SupplierRouter router = new SupplierRouter(
      new SupplierRouter.Settings(Duration.ofMillis(100), Duration.ofSeconds(3)));
  private final List<SupplierSimulator> simulators = new ArrayList<>();

  @AfterEach
  void stop() {
    simulators.forEach(SupplierSimulator::close);
  }

  private SupplierSimulator simulator() throws Exception {
    SupplierSimulator s = new SupplierSimulator(0, "quanyi", "secret-" + simulators.size(), 11);
    simulators.add(s);
    return s;
  }

  private Route route(String id, SupplierSimulator s, Duration timeout, int maxConcurrent) {
    return new Route(id, "cmcc-50", Money.of(4900, "CNY"), new QuanyiProtocolAdapter(http, s.uri(), "quanyi",
        "secret-" + simulators.indexOf(s), timeout, Clock.systemUTC()),
        new SupplierGuard(new CircuitBreaker(2, Duration.ofSeconds(30), clock), maxConcurrent));
  }

  private Route route(String id, SupplierSimulator s) {
    return route(id, s, Duration.ofSeconds(3), 10);
  }

  private Outcome topUp(String orderId, List<Route> routes) {
    return router.topUp(orderId, "13800138000", FIFTY, routes, -1, AttemptLog.none()).toCompletableFuture().join();
  }

  @Test
  void anErroringSupplierIsQueriedThenTheNextOneServes() throws Exception {
    SupplierSimulator a = simulator();
    SupplierSimulator b = simulator();
    a.behave(SimulatedBehavior.healthy().withErrorRate(1));
    List<String> attempts = new CopyOnWriteArrayList<>();
    Outcome outcome = router.topUp("o-1", "13800138000", FIFTY, List.of(route("A", a), route("B", b)), -1,
        (supplier, id) -> {
          attempts.add(supplier + " " + id);
          return CompletableFuture.completedFuture(null);
        }).toCompletableFuture().join();
    assertEquals("B", assertInstanceOf(Delivered.class, outcome).supplierId());
    assertEquals(List.of("A"), ((Delivered) outcome).doubtful(), "A answered 500: a request may still reach it");
    assertEquals(List.of("A o-1@A", "B o-1@B"), attempts, "each attempt is logged before it is sent");
    assertTrue(a.toppedUp().isEmpty());
    assertEquals(1, b.toppedUp().size());
  }

  @Test
  void aTimeoutThatSucceedsLateIsNeverToppedUpTwice() throws Exception {
    SupplierSimulator a = simulator();
    SupplierSimulator b = simulator();
    a.behave(SimulatedBehavior.healthy().withHang(1, Duration.ofSeconds(2)));
    Outcome outcome = topUp("o-2", List.of(route("A", a, Duration.ofMillis(500), 10), route("B", b)));
    assertEquals(new Delivered("A", "o-2@A", a.toppedUp().get(0).reference(), List.of()), outcome);
    assertEquals(1, a.toppedUp().size() + b.toppedUp().size(), "exactly one top-up across both ledgers");
    assertEquals(0, b.requests(), "B was never asked");
  }

  @Test
  void whenEverySupplierFailsTheOrderFailsAndNothingIsToppedUp() throws Exception {
    SupplierSimulator a = simulator();
    SupplierSimulator b = simulator();
    SupplierSimulator c = simulator();
    a.behave(SimulatedBehavior.healthy().withOutOfStock(true));
    b.behave(SimulatedBehavior.healthy().withErrorRate(1));
    Route gone = route("C", c);
    c.close();
    AllFailed failed = assertInstanceOf(AllFailed.class, topUp("o-3", List.of(route("A", a), route("B", b), gone)));
    assertEquals(List.of("A: OUT_OF_STOCK", "B: not received", "C: UNREACHABLE"), failed.reasons());
    assertTrue(a.toppedUp().isEmpty() && b.toppedUp().isEmpty());
  }

  @Test
  void theCircuitOpensSkipsTheSupplierAndAProbeClosesItAgain() throws Exception {
    SupplierSimulator a = simulator();
    SupplierSimulator b = simulator();
    a.behave(SimulatedBehavior.healthy().withErrorRate(1));
    List<Route> routes = List.of(route("A", a), route("B", b));
    topUp("o-4", routes);
    topUp("o-5", routes);
    assertEquals(CircuitBreaker.State.OPEN, routes.get(0).guard().breaker().state());
    long askedBefore = a.requests();
    assertEquals("B", assertInstanceOf(Delivered.class, topUp("o-6", routes)).supplierId());
    assertEquals(askedBefore, a.requests(), "an open circuit is not even asked");

    a.behave(SimulatedBehavior.healthy());
    clock.advance(Duration.ofSeconds(30));
    assertEquals("A", assertInstanceOf(Delivered.class, topUp("o-7", routes)).supplierId(), "the probe");
    assertEquals(CircuitBreaker.State.CLOSED, routes.get(0).guard().breaker().state());
  }

  @Test
  void aSupplierAtItsConcurrencyLimitIsPassedOver() throws Exception {
    SupplierSimulator a = simulator();
    SupplierSimulator b = simulator();
    a.behave(SimulatedBehavior.healthy().withLatency(Duration.ofMillis(700)));
    List<Route> routes = List.of(route("A", a, Duration.ofSeconds(3), 1), route("B", b));
    CompletableFuture<Outcome> first = router.topUp("o-8", "13800138000", FIFTY, routes, -1, AttemptLog.none())
        .toCompletableFuture();
    Await.until("the first top-up holds A's only slot", Duration.ofSeconds(5),
        () -> routes.get(0).guard().inFlight() == 1);
    Outcome second = topUp("o-9", routes);
    assertEquals("B", assertInstanceOf(Delivered.class, second).supplierId());
    assertEquals("A", assertInstanceOf(Delivered.class, first.join()).supplierId());
  }

  @Test
  void aResumedOrderAsksItsLastSupplierFirstEvenWithItsCircuitOpen() throws Exception {
    SupplierSimulator a = simulator();
    SupplierSimulator b = simulator();
    List<Route> routes = List.of(route("A", a), route("B", b));
    topUp("o-10", routes);
    routes.get(0).guard().breaker().onFailure();
    routes.get(0).guard().breaker().onFailure();
    Outcome resumed = router.topUp("o-10", "13800138000", FIFTY, routes, 0, AttemptLog.none()).toCompletableFuture().join();
    assertEquals("A", assertInstanceOf(Delivered.class, resumed).supplierId());
    assertEquals(1, a.toppedUp().size(), "asking again under the same id did not top up again");
    assertEquals(0, b.requests());
  }

  @Test
  void anAttemptThatNeverEndsIsUndecidedAndNoOneElseIsAsked() throws Exception {
    SupplierSimulator a = simulator();
    SupplierSimulator b = simulator();
    a.behave(SimulatedBehavior.healthy().withLate(1, Duration.ofHours(1)));
    Undecided undecided = assertInstanceOf(Undecided.class, topUp("o-11", List.of(route("A", a), route("B", b))));
    assertEquals(new Undecided("A", "o-11@A", "still processing"), undecided);
    assertEquals(0, b.requests());
  }
}
