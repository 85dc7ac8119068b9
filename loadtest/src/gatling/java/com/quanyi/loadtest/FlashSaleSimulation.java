package com.quanyi.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.forever;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The same flash sale as {@link FlashSale}, as a Gatling simulation with its HTML report: a
 * scenario is set up through the admin API, then {@code clients} virtual users each send signed
 * orders in a closed loop for {@code seconds}. Every request is signed as API.md says.
 *
 * <pre>
 * mvn -pl loadtest -Pgatling gatling:test -Dgatling.simulationClass=com.quanyi.loadtest.FlashSaleSimulation \
 *   -Dquanyi.url=http://127.0.0.1:8080 -Dquanyi.token=$TOKEN -Dquanyi.scenario=hot \
 *   -Dquanyi.clients=64 -Dquanyi.seconds=30 -Dquanyi.codes=200000
 * </pre>
 */
public class FlashSaleSimulation extends Simulation {

  private final String url = System.getProperty("quanyi.url", "http://127.0.0.1:8080");
  private final int clients = Integer.getInteger("quanyi.clients", 64);
  private final int seconds = Integer.getInteger("quanyi.seconds", 30);
  private final Scenario flashSale = Scenario.named(System.getProperty("quanyi.scenario", "hot"),
      Integer.getInteger("quanyi.codes", 200_000));
  private final Admin admin = new Admin(url, System.getProperty("quanyi.token",
      System.getenv().getOrDefault("QUANYI_ADMIN_TOKEN", "")));
  private final ThreadLocal<Signers> signers = ThreadLocal.withInitial(Signers::new);

  /** A signer per channel for the thread that signs (Mac is not thread-safe). */
  private static final class Signers extends java.util.HashMap<String, Signer> {}

  private final HttpProtocolBuilder protocol = http.baseUrl(url).contentTypeHeader("application/json")
      .shareConnections();

  private final ScenarioBuilder orders = scenario("signed orders").exec(forever().on(
      exec(this::signed)
          .exec(http("POST /api/v1/orders").post("/api/v1/orders")
              .header("X-Quanyi-Key", "#{key}").header("X-Quanyi-Timestamp", "#{timestamp}")
              .header("X-Quanyi-Nonce", "#{nonce}").header("X-Quanyi-Signature", "#{signature}")
              .body(io.gatling.javaapi.core.CoreDsl.StringBody("#{body}"))
              .check(status().in(200, 201, 409, 422, 429)))));

  private static io.gatling.javaapi.core.ChainBuilder exec(java.util.function.Function<Session, Session> f) {
    return io.gatling.javaapi.core.CoreDsl.exec(f);
  }

  @Override
  public void before() {
    flashSale.setUp(admin);
  }

  {
    setUp(orders.injectOpen(atOnceUsers(clients))).protocols(protocol).maxDuration(Duration.ofSeconds(seconds))
        .assertions(global().failedRequests().percent().lt(1.0));
  }

  private Session signed(Session session) {
    Random random = ThreadLocalRandom.current();
    Order order = flashSale.next((int) (session.userId() % 4096), random);
    String body = new String(order.body(), java.nio.charset.StandardCharsets.UTF_8);
    String timestamp = Long.toString(System.currentTimeMillis());
    String nonce = Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    String signature = signers.get().computeIfAbsent(order.channel().id(), id -> new Signer(order.channel().secret()))
        .sign("POST", "/api/v1/orders", timestamp, nonce, order.body());
    return session.set("key", order.channel().key()).set("timestamp", timestamp).set("nonce", nonce)
        .set("signature", signature).set("body", body);
  }
}
