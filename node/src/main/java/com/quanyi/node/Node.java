package com.quanyi.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.quanyi.http.HttpApi;
import com.quanyi.node.alert.AlertDesk;
import com.quanyi.http.redemption.RedemptionApi;
import com.quanyi.node.redemption.CodeTrace;
import com.quanyi.node.redemption.GuessGuard;
import com.quanyi.node.redemption.RedemptionDesk;
import com.quanyi.node.redemption.RedemptionSettings;
import com.quanyi.node.redemption.VerifierDesk;
import com.quanyi.persistence.redemption.CodeHolderStore;
import com.quanyi.persistence.redemption.VerifierStore;
import com.quanyi.node.metrics.PartnerMeter;
import com.quanyi.node.metrics.DispatcherMeter;
import com.quanyi.node.alert.AlertSettings;
import com.quanyi.node.dashboard.ClusterOrderAnswers;
import com.quanyi.node.dashboard.LiveDesk;
import com.quanyi.node.admin.AdminDirectory;
import com.quanyi.node.admin.TokenDesk;
import com.quanyi.node.channel.AccountSettings;
import com.quanyi.node.channel.ChannelAccount;
import com.quanyi.node.channel.ChannelDesk;
import com.quanyi.node.channel.NonceRegistry;
import com.quanyi.http.channel.SignedRequest;
import com.quanyi.http.reporting.ReportingService;
import com.quanyi.persistence.vault.SealedSecrets;
import com.quanyi.node.inventory.BundleCatalog;
import com.quanyi.node.inventory.InventorySettings;
import com.quanyi.node.inventory.SkuInventory;
import com.quanyi.node.order.OrderDesk;
import com.quanyi.node.callback.CallbackDesk;
import com.quanyi.node.callback.CallbackFeed;
import com.quanyi.node.projection.Reporting;
import com.quanyi.node.settlement.CommissionBook;
import com.quanyi.node.callback.CallbackOutbox;
import com.quanyi.node.callback.ParkedCallbacks;
import com.quanyi.node.callback.CallbackSender;
import com.quanyi.node.callback.CallbackSettings;
import com.quanyi.node.callback.CallbackTargets;
import com.quanyi.node.order.OrderProcess;
import com.quanyi.node.order.AcceptanceIndex;
import com.quanyi.persistence.channel.ChannelCredentialStore;
import com.quanyi.persistence.channel.NonceRecordStore;
import com.quanyi.persistence.order.AcceptedOrderStore;
import com.quanyi.node.risk.RiskDesk;
import com.quanyi.node.risk.RiskCheck;
import com.quanyi.node.risk.RiskProfile;
import com.quanyi.node.risk.RiskRuleBook;
import com.quanyi.node.risk.RiskRulesCache;
import com.quanyi.node.risk.RiskSettings;
import com.quanyi.persistence.risk.RiskDecisionLog;
import com.quanyi.node.order.ReviewQueue;
import com.quanyi.node.order.TopupProcess;
import com.quanyi.node.supplier.SupplierDirectory;
import com.quanyi.node.supplier.SupplierDesk;
import com.quanyi.node.supplier.SupplierSettings;
import com.quanyi.node.vault.CodeImporter;
import com.quanyi.node.vault.FingerprintShard;
import com.quanyi.node.vault.VaultDesk;
import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.FingerprintStore;
import com.quanyi.persistence.vault.VaultKeys;
import com.quanyi.persistence.vault.VaultKeysLoader;
import com.quanyi.persistence.CassandraSessions;
import com.quanyi.persistence.cluster.ClusterMemberStore;
import com.quanyi.persistence.schema.CassandraSchema;
import com.quanyi.persistence.schema.SchemaSettings;
import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Quanyi node: an ActorSystem in the cluster, Pekko Management (cluster endpoint and health
 * checks) from the first moment, then, once Cassandra answers, the schema, the sharded entities
 * and the HTTP API. Until all of that is up, {@code /ready} says no.
 */
public final class Node implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final ActorSystem<Void> system;
  private final CompletionStage<Integer> managementPort;
  private final CompletionStage<ServerBinding> httpBinding;
  private final CompletionStage<ServerBinding> http;
  private final Optional<String> generatedAdminToken;

  private Node(ActorSystem<Void> system, CompletionStage<Integer> managementPort,
      CompletionStage<ServerBinding> httpBinding, CompletionStage<ServerBinding> http,
      Optional<String> generatedAdminToken) {
    this.system = system;
    this.httpBinding = httpBinding;
    this.managementPort = managementPort;
    this.http = http;
    this.generatedAdminToken = generatedAdminToken;
  }

  /** Starts the node; {@link #ready()} completes when it serves HTTP. */
  public static Node start(Config config) {
    if (config.getBoolean("quanyi.cluster.join-self") && !config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      // Joining itself, it would form a cluster of its own beside the seeds' one, on the same journal.
      throw new IllegalStateException("profile " + config.getString("quanyi.profile") + " forms a one-node cluster of"
          + " its own, but seed nodes are set (QUANYI_SEED_NODES): run several nodes with QUANYI_PROFILE=cluster");
    }
    VaultKeys vaultKeys = VaultKeysLoader.load(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "quanyi", config);
    // Ticking before the first Cassandra session: its throttler asks this process's guard.
    WriteGuard.get(system);
    Duration askTimeout = config.getDuration("quanyi.http.ask-timeout");
    TokenDesk admins = new TokenDesk(system, askTimeout);
    Optional<String> generated;
    try {
      generated = bootstrapAdmin(config, admins);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
    if (config.getBoolean("quanyi.cluster.join-self")) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    NodeReadiness readiness = NodeReadiness.get(system);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "quanyi-not-ready",
        () -> {
          readiness.stopping();
          return CompletableFuture.completedFuture(Done.getInstance());
        });

    PekkoManagement management = PekkoManagement.get(system);
    CompletionStage<Integer> managementPort = management.start().thenApply(uri -> uri.port());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "quanyi-management-stop", management::stop);

    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    DispatcherMeter.start(system);
    SchemaSettings schema = SchemaSettings.fromConfig(config);
    boolean createSchema = config.getBoolean("quanyi.cassandra.create-schema-on-start");

    VaultDesk vault = new VaultDesk(vaultKeys, blocking);
    Config vaultConfig = config.getConfig("quanyi.vault");
    String keyspace = config.getString("quanyi.cassandra.keyspace");

    // HTTP answers from the start, with 503 until the node serves, so callers see why.
    CallbackSettings callbackSettings = CallbackSettings.fromConfig(config);
    CallbackTargets callbackTargets = new CallbackTargets(callbackSettings.allowPrivateTargets());
    AskTimeout partnerAskTimeout = AskTimeout.of(system, config);
    BundleCatalog bundles = new BundleCatalog(system, partnerAskTimeout);
    ChannelDesk channels = new ChannelDesk(system, SealedSecrets.forChannels(vaultKeys), callbackTargets,
        partnerAskTimeout, config.getInt("quanyi.auth.nonce-buckets"), bundles);
    SupplierSettings supplierSettings = SupplierSettings.fromConfig(config);
    SupplierDesk suppliers = new SupplierDesk(system, SealedSecrets.forSuppliers(vaultKeys), supplierSettings,
        askTimeout);
    RedemptionSettings redemptionSettings = RedemptionSettings.fromConfig(config);
    RiskDesk risk = new RiskDesk(system, askTimeout, redemptionSettings.guard().defaults());
    AtomicReference<ReportingService> reports = new AtomicReference<>();
    OrderDesk orders = new OrderDesk(system, vault, callbackTargets, partnerAskTimeout,
        InventorySettings.fromConfig(config).reconcileAfter().dividedBy(2),
        AccountSettings.fromConfig(config).holdWindow());
    ParkedCallbacks parkedCallbacks = new ParkedCallbacks(system);
    AlertDesk alerts = AlertDesk.start(system, AlertSettings.fromConfig(config), reports::get, orders, suppliers,
        parkedCallbacks, blocking, askTimeout);
    VerifierDesk verifiers = new VerifierDesk(system, SealedSecrets.forVerifiers(vaultKeys), partnerAskTimeout,
        config.getInt("quanyi.auth.nonce-buckets"), Clock.systemUTC());
    RedemptionDesk redemptions = new RedemptionDesk(system, vault, verifiers, partnerAskTimeout, redemptionSettings,
        Clock.systemUTC());
    CodeTrace traces = new CodeTrace(system, vault, partnerAskTimeout);
    CompletionStage<ServerBinding> binding = bindHttp(system, config, admins, vault, bundles, channels, suppliers,
        callbackTargets, orders, risk, reports, alerts, new RedemptionApi(verifiers, redemptions, traces), readiness);
    CompletionStage<ServerBinding> http = CassandraSessions.cqlSession(system)
        .thenApplyAsync(session -> {
          CassandraPoolWatchdog.watch(system, session, config.getDuration("quanyi.cassandra.pool-empty-for"));
          prepareSchema(session, schema, createSchema);
          return session;
        }, blocking)
        // No entity starts before this node knows it is in the only cluster on this journal.
        .thenCompose(session -> OneCluster.joined(system, new ClusterMemberStore(session, keyspace,
            OneCluster.NOTE_LIVES)).thenApply(one -> session))
        .thenApplyAsync(session -> {
          CodeVault codeVault = new CodeVault(session, keyspace, vaultKeys, Clock.systemUTC());
          FingerprintStore fingerprintIndex = new FingerprintStore(session, keyspace);
          FingerprintShard.init(system, fingerprintIndex, codeVault, vaultConfig.getDuration("import-stale-after"));
          CodeHolderStore codeHolders = new CodeHolderStore(session, keyspace);
          redemptions.ready(fingerprintIndex, codeHolders);
          traces.ready(fingerprintIndex, codeHolders);
          verifiers.ready(new VerifierStore(session, keyspace));
          vault.started(codeVault, new CodeImporter(system, codeVault, vaultConfig.getInt("import-chunk-size"),
              vaultConfig.getInt("fingerprint-shards"), Duration.ofSeconds(30), Clock.systemUTC()));
          return session;
        }, blocking)
        .thenCombine(binding, (session, bound) -> {
          SkuInventory.init(system, InventorySettings.fromConfig(config));
          AdminDirectory.init(system);
          SupplierDirectory.init(system);
          AcceptanceIndex acceptances = new AcceptanceIndex(system, new AcceptedOrderStore(session, keyspace));
          ChannelAccount.init(system, AccountSettings.fromConfig(config), acceptances::write);
          NonceRegistry.init(system, new NonceRecordStore(session, keyspace), SignedRequest.WINDOW.multipliedBy(2));
          channels.credentialsReady(new ChannelCredentialStore(session, keyspace));
          RiskSettings riskSettings = RiskSettings.fromConfig(config);
          RiskRuleBook.init(system);
          RiskProfile.init(system, riskSettings.profileIdleAfter());
          RiskRulesCache riskRules = new RiskRulesCache(system, riskSettings.refreshEvery(), askTimeout);
          RiskDecisionLog decisionLog = new RiskDecisionLog(session, keyspace);
          RiskCheck riskCheck = new RiskCheck(system, riskRules, decisionLog, riskSettings, askTimeout);
          risk.started(riskRules, decisionLog, riskCheck);
          orders.riskReady(riskCheck);
          orders.acceptancesReady(acceptances::find);
          OrderProcess.init(system, askTimeout, riskCheck, config.getInt("quanyi.projections.tags"), acceptances);
          TopupProcess.init(system, suppliers, askTimeout, Duration.ofSeconds(5), supplierSettings.recheckAfter());
          ReviewQueue.init(system);
          CallbackOutbox.init(system, new CallbackSender(system, SealedSecrets.forChannels(vaultKeys), callbackTargets,
              callbackSettings.timeout(), askTimeout, blocking, Clock.systemUTC()), callbackSettings, parkedCallbacks);
          CallbackFeed.init(system, callbackSettings, askTimeout);
          CommissionBook.init(system);
          GuessGuard.init(system, redemptionSettings.guard(), () -> riskRules.ruleSet().redemption());
          reports.set(Reporting.start(system, config, session, keyspace, askTimeout));
          // No order before this node knows the risk rules.
          return riskRules.loaded().thenApply(loaded -> {
            readiness.started(session);
            log.info("Node ready: HTTP on {}", bound.localAddress());
            return bound;
          });
        })
        .thenCompose(ready -> ready);
    http.whenComplete((bound, failure) -> {
      if (failure != null) {
        log.error("Node failed to start: {}", failure.toString());
      }
    });
    return new Node(system, managementPort, binding, http, generated);
  }

  private static void prepareSchema(CqlSession session, SchemaSettings schema, boolean create) {
    if (create) {
      CassandraSchema.create(session, schema);
      return;
    }
    while (!CassandraSchema.exists(session, schema)) {
      log.info("Waiting for the schema (keyspaces {} and {}) to be created by `quanyi-node schema`",
          schema.journalKeyspace(), schema.keyspace());
      try {
        TimeUnit.SECONDS.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the schema", e);
      }
    }
  }

  private static CompletionStage<ServerBinding> bindHttp(ActorSystem<Void> system, Config config, TokenDesk admins,
      VaultDesk vault, BundleCatalog bundles, ChannelDesk channels, SupplierDesk suppliers, CallbackTargets callbackTargets,
      OrderDesk orders, RiskDesk risk, AtomicReference<ReportingService> reports, AlertDesk alerts,
      RedemptionApi redemption, NodeReadiness readiness) {
    Config http = config.getConfig("quanyi.http");
    HttpApi api = new HttpApi(system, admins, vault, bundles, vault, channels,
        orders, suppliers,
        new CallbackDesk(system, http.getDuration("ask-timeout")), risk, reports::get,
        new LiveDesk(system, ClusterOrderAnswers.start(system), Clock.systemUTC()), alerts, redemption,
        http.getDuration("ask-timeout"),
        http.getBytes("max-body-bytes"), http.getInt("max-partner-requests-in-flight"), PartnerMeter::answered,
        readiness::serving);
    return Http.get(system)
        .newServerAt(http.getString("interface"), http.getInt("port"))
        .bind(api.route())
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system));
  }

  private static Optional<String> bootstrapAdmin(Config config, TokenDesk admins) {
    String configured = config.getString("quanyi.admin.bootstrap-token");
    if (!configured.isBlank()) {
      admins.addBootstrap(configured, TokenDesk.bootstrapAdmin());
      return Optional.empty();
    }
    if (!config.getString("quanyi.profile").equals("local")) {
      throw new IllegalStateException("QUANYI_ADMIN_TOKEN must be set outside the local profile");
    }
    String token = TokenDesk.generate();
    admins.addBootstrap(token, TokenDesk.bootstrapAdmin());
    return Optional.of(token);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Completes when the node serves its API; fails if it cannot start. */
  public CompletionStage<Node> ready() {
    return http.thenApply(binding -> this);
  }

  public int httpPort() {
    return httpBinding.toCompletableFuture().join().localAddress().getPort();
  }

  public int managementPort() {
    return managementPort.toCompletableFuture().join();
  }

  public CompletionStage<Integer> managementPortWhenBound() {
    return managementPort;
  }

  /** The admin token this node generated because none was configured (local profile only). */
  public Optional<String> generatedAdminToken() {
    return generatedAdminToken;
  }

  /** Leaves the cluster and stops: unbinds HTTP, hands off shards, terminates the ActorSystem. */
  @Override
  public void close() {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
