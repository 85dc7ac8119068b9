package com.quanyi.node.supplier;

import com.quanyi.node.metrics.SupplierMeter;
import com.quanyi.node.Replies;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.channel.ChannelService.Done;
import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.http.channel.ChannelService.Refused;
import com.quanyi.http.supplier.SupplierService;
import com.quanyi.persistence.vault.SealedSecrets;
import com.quanyi.protocol.supplier.RouteEntry;
import com.quanyi.protocol.supplier.SupplierCredentials;
import com.quanyi.protocol.supplier.SupplierDefinition;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.GetRoute;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.ListSuppliers;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.RegisterSupplier;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Registered;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Registration;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Route;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.RouteReply;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.SetRoute;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Supplier;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.SupplierList;
import java.util.concurrent.Executor;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Suppliers as this node talks to them: the directory entity for who they are and each SKU's
 * route; here, one adapter and one guard (circuit, concurrency) per supplier, opened secrets in
 * memory only. Also the admin API's view of suppliers, with this node's view of their health.
 */
public final class SupplierDesk implements SupplierService {

  private record Connection(SupplierDefinition definition, SupplierAdapter adapter) {}

  private final ClusterSharding sharding;

  /** Where the continuations of entity replies run (see Replies). */

  private final Executor dispatcher;
  private final SealedSecrets secrets;
  private final SupplierSettings settings;
  private final Duration askTimeout;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final Map<String, SupplierGuard> guards = new ConcurrentHashMap<>();

  public SupplierDesk(ActorSystem<?> system, SealedSecrets secrets, SupplierSettings settings, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.secrets = secrets;
    this.settings = settings;
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Outcome<SupplierInfo>> register(NewSupplier request, String actor) {
    SupplierDefinition definition;
    try {
      definition = new SupplierDefinition(request.supplierId(), request.name(), request.endpoint(), request.apiKey(),
          request.timeoutMillis() == null ? 5_000 : request.timeoutMillis(),
          request.maxConcurrent() == null ? 100 : request.maxConcurrent());
    } catch (IllegalArgumentException | NullPointerException e) {
      return refused(ProblemCode.INVALID_REQUEST, e.getMessage());
    }
    String secret = request.apiSecret();
    if (secret == null || secret.length() < 16 || secret.length() > 256) {
      return refused(ProblemCode.INVALID_REQUEST, "apiSecret is required: 16-256 characters");
    }
    SupplierCredentials credentials = new SupplierCredentials(secrets.currentMasterKeyId(),
        secrets.seal(definition.supplierId(), secret));
    return Replies.on(dispatcher, directory().<Registration>ask(r -> new RegisterSupplier(definition, credentials, actor, r), askTimeout))
        .thenApply(registration -> registration instanceof Registered registered
            ? (Outcome<SupplierInfo>) new Done<>(info(registered.supplier()))
            : new Refused<>(ProblemCode.ALREADY_EXISTS, "supplier " + definition.supplierId() + " exists"));
  }

  @Override
  public CompletionStage<List<SupplierInfo>> list() {
    return Replies.on(dispatcher, directory().<SupplierList>ask(ListSuppliers::new, askTimeout))
        .thenApply(list -> list.suppliers().stream().map(this::info).toList());
  }

  @Override
  public CompletionStage<Outcome<RouteInfo>> setRoute(String skuId, List<RouteEntry> route, String actor) {
    if (route.stream().anyMatch(java.util.Objects::isNull)) {
      return refused(ProblemCode.INVALID_REQUEST, "a route entry is {supplierId, productCode, unitCost}");
    }
    return Replies.on(dispatcher, directory().<RouteReply>ask(r -> new SetRoute(skuId, route, actor, r), askTimeout))
        .thenApply(reply -> reply instanceof Route saved
            ? (Outcome<RouteInfo>) new Done<>(new RouteInfo(skuId, saved.entries()))
            : new Refused<>(ProblemCode.INVALID_REQUEST, ((SupplierDirectoryProtocol.RouteRefused) reply).reason()));
  }

  @Override
  public CompletionStage<RouteInfo> route(String skuId) {
    return Replies.on(dispatcher, directory().<RouteReply>ask(r -> new GetRoute(skuId, r), askTimeout))
        .thenApply(reply -> new RouteInfo(skuId, ((Route) reply).entries()));
  }

  /** The SKU's route as the router walks it, with this node's adapters and guards. */
  public CompletionStage<List<SupplierRouter.Route>> routesFor(String skuId) {
    return Replies.on(dispatcher, directory().<RouteReply>ask(r -> new GetRoute(skuId, r), askTimeout)).thenApply(reply -> {
      Route route = (Route) reply;
      List<SupplierRouter.Route> routes = new ArrayList<>();
      for (int i = 0; i < route.entries().size(); i++) {
        Supplier supplier = route.suppliers().get(i);
        String id = supplier.definition().supplierId();
        routes.add(new SupplierRouter.Route(id, route.entries().get(i).productCode(), route.entries().get(i).unitCost(),
            connection(supplier).adapter(),
            guard(supplier.definition())));
      }
      return routes;
    });
  }

  public SupplierRouter router() {
    return new SupplierRouter(settings.routing());
  }

  private Connection connection(Supplier supplier) {
    return connections.compute(supplier.definition().supplierId(), (id, existing) -> {
      if (existing != null && existing.definition().equals(supplier.definition())) {
        return existing;
      }
      SupplierDefinition d = supplier.definition();
      String secret = secrets.open(id, supplier.credentials().masterKeyId(), supplier.credentials().sealedSecret());
      return new Connection(d, new QuanyiProtocolAdapter(http, URI.create(d.endpoint().endsWith("/") ? d.endpoint()
          : d.endpoint() + "/"), d.apiKey(), secret, Duration.ofMillis(d.timeoutMillis()), Clock.systemUTC()));
    });
  }

  private SupplierGuard guard(SupplierDefinition definition) {
    return guards.computeIfAbsent(definition.supplierId(), id -> {
      SupplierGuard guard = new SupplierGuard(new CircuitBreaker(settings.failuresToOpen(), settings.openFor(),
          Clock.systemUTC()), definition.maxConcurrent());
      SupplierMeter.watch(id, () -> switch (guard.breaker().state()) {
        case CLOSED -> 0;
        case HALF_OPEN -> 1;
        case OPEN -> 2;
      }, guard::inFlight);
      return guard;
    });
  }

  private SupplierInfo info(Supplier supplier) {
    SupplierDefinition d = supplier.definition();
    SupplierGuard guard = guards.get(d.supplierId());
    Health health = guard == null ? new Health("CLOSED", 0, 0)
        : new Health(guard.breaker().state().name(), guard.inFlight(), guard.breaker().consecutiveFailures());
    return new SupplierInfo(d.supplierId(), d.name(), d.endpoint(), d.apiKey(), d.timeoutMillis(), d.maxConcurrent(),
        supplier.registeredAt(), health);
  }

  private EntityRef<SupplierDirectoryProtocol.Command> directory() {
    return sharding.entityRefFor(SupplierDirectoryProtocol.TYPE_KEY, SupplierDirectoryProtocol.ENTITY_ID);
  }

  private static <T> CompletionStage<Outcome<T>> refused(ProblemCode code, String detail) {
    return CompletableFuture.completedFuture(new Refused<>(code, detail));
  }
}
