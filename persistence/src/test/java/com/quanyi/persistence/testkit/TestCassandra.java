package com.quanyi.persistence.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.quanyi.persistence.devcassandra.DevCassandra;
import com.quanyi.persistence.devcassandra.DevCassandraSettings;
import com.quanyi.persistence.schema.CassandraSchema;
import com.quanyi.persistence.schema.SchemaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real Cassandra the integration tests of one test JVM share: started on first use (on free
 * ports, in {@code target/test-cassandra}), with the schema created once, and stopped when the
 * JVM exits. Set {@code QUANYI_TEST_CASSANDRA=host:port} to use one that is already running.
 * Tests keep out of each other's way by using fresh entity ids, not fresh keyspaces.
 */
public final class TestCassandra {

  public static final String JOURNAL_KEYSPACE = "quanyi_journal";
  public static final String KEYSPACE = "quanyi";
  public static final String DATACENTER = "datacenter1";

  private static TestCassandra shared;

  private final String host;
  private final int port;

  private TestCassandra(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public static synchronized TestCassandra get() {
    if (shared == null) {
      shared = startOrAttach();
      try (CqlSession session = shared.newSession()) {
        CassandraSchema.create(session, schemaSettings());
      }
    }
    return shared;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String contactPoint() {
    return host + ":" + port;
  }

  /** Config overrides that point a node (or any ActorSystem) at this Cassandra. */
  public Map<String, Object> configOverrides() {
    return Map.of(
        "quanyi.cassandra.contact-points", List.of(contactPoint()),
        "quanyi.cassandra.datacenter", DATACENTER,
        "quanyi.cassandra.journal-keyspace", JOURNAL_KEYSPACE,
        "quanyi.cassandra.keyspace", KEYSPACE);
  }

  public CqlSession newSession() {
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress(host, port))
        .withLocalDatacenter(DATACENTER)
        .build();
  }

  public static SchemaSettings schemaSettings() {
    return new SchemaSettings(JOURNAL_KEYSPACE, KEYSPACE,
        "{'class': 'SimpleStrategy', 'replication_factor': 1}");
  }

  private static TestCassandra startOrAttach() {
    String external = System.getenv("QUANYI_TEST_CASSANDRA");
    if (external != null && !external.isBlank()) {
      String[] hostPort = external.trim().split(":");
      return new TestCassandra(hostPort[0], Integer.parseInt(hostPort[1]));
    }
    Path dir = Paths.get("target", "test-cassandra").toAbsolutePath();
    deleteRecursively(dir);
    DevCassandraSettings settings = new DevCassandraSettings(dir, "127.0.0.1", freePort(), freePort(), 1024,
        System.getProperty("quanyi.test.cassandra.commitlog-sync", "periodic"), Duration.ofSeconds(180));
    DevCassandra cassandra = DevCassandra.start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(cassandra::close, "test-cassandra-stop"));
    return new TestCassandra(settings.host(), settings.nativePort());
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
