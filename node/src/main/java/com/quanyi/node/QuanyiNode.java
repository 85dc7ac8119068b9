package com.quanyi.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.quanyi.persistence.devcassandra.DevCassandra;
import com.quanyi.persistence.schema.CassandraSchema;
import com.quanyi.persistence.schema.SchemaSettings;
import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.connectors.cassandra.DriverConfigLoaderFromConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's entry point.
 *
 * <pre>
 *   java -jar quanyi-node.jar           run a node (profile from QUANYI_PROFILE, default local)
 *   java -jar quanyi-node.jar schema    create keyspaces and tables, then exit (cluster setup)
 * </pre>
 *
 * In the local profile the node starts its own single-node Cassandra first and stops it last.
 */
public final class QuanyiNode {

  private static final Logger log = LoggerFactory.getLogger(QuanyiNode.class);
  private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private QuanyiNode() {}

  public static void main(String[] args) {
    // Pekko's asks complete Scala futures whose Java view runs every callback "async" on the common
    // pool; on 2 cores that pool has parallelism 1, and the JDK then starts a new thread per
    // callback. Measured: signed reads 197/s -> 390/s with this (docs/performance.md).
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
    }
    try {
      if (args.length == 1 && args[0].equals("schema")) {
        createSchema(NodeConfig.load(Map.of()));
        return;
      }
      if (args.length > 0) {
        System.err.println("usage: quanyi-node [schema]");
        System.exit(2);
      }
      run();
    } catch (RuntimeException e) {
      log.error("Quanyi node stopped: {}", e.getMessage());
      System.exit(1);
    }
  }

  private static void run() {
    Config config = NodeConfig.load(Map.of());
    Optional<DevCassandra> cassandra = Optional.empty();
    if (config.getBoolean("quanyi.cassandra.embedded.enabled")) {
      DevCassandra started = DevCassandra.start(NodeConfig.embeddedCassandra(config));
      cassandra = Optional.of(started);
      config = NodeConfig.load(Map.of("quanyi.cassandra.contact-points", List.of(started.contactPoint())));
    }
    Node node = Node.start(config);
    Optional<DevCassandra> embedded = cassandra;
    // Pekko's own JVM hook runs the coordinated shutdown; Cassandra must outlive the journal.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      awaitTermination(node);
      embedded.ifPresent(DevCassandra::close);
    }, "quanyi-embedded-cassandra-stop"));

    try {
      node.ready().toCompletableFuture().join();
    } catch (RuntimeException e) {
      node.close();
      embedded.ifPresent(DevCassandra::close);
      throw new IllegalStateException("the node did not start: " + rootMessage(e), e);
    }
    printBanner(config, node);
    node.system().getWhenTerminated().toCompletableFuture().join();
    embedded.ifPresent(DevCassandra::close);
  }

  private static void awaitTermination(Node node) {
    try {
      node.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("The node did not terminate within 60 s; stopping Cassandra anyway");
    }
  }

  private static void createSchema(Config config) {
    SchemaSettings settings = SchemaSettings.fromConfig(config);
    try (CqlSession session = CqlSession.builder()
        .withConfigLoader(DriverConfigLoaderFromConfig.fromConfig(config.getConfig("datastax-java-driver")))
        .build()) {
      CassandraSchema.create(session, settings);
    }
  }

  /** The one place the generated admin token is shown: the console, never the log. */
  private static void printBanner(Config config, Node node) {
    StringBuilder banner = new StringBuilder()
        .append("\n  Quanyi is ready (profile ").append(config.getString("quanyi.profile")).append(")\n")
        .append("    HTTP API:            http://").append(config.getString("quanyi.http.interface"))
        .append(':').append(node.httpPort()).append('\n')
        .append("    Cluster management:  http://").append(config.getString("pekko.management.http.hostname"))
        .append(':').append(node.managementPort()).append("  (/cluster/members, /ready, /alive)\n")
        .append("    Cassandra:           ").append(config.getStringList("quanyi.cassandra.contact-points")).append('\n');
    node.generatedAdminToken().ifPresent(token -> banner
        .append("    Admin token:         ").append(token)
        .append("\n                         (generated for this run; set QUANYI_ADMIN_TOKEN to choose one)\n"));
    System.out.println(banner);
    System.out.flush();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
