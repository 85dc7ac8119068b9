package com.quanyi.persistence.devcassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.quanyi.persistence.schema.CassandraSchema;
import com.quanyi.persistence.testkit.TestCassandra;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCassandraIT {

  @Test
  void servesCqlAndTheSchemaCanBeCreatedAgainWithoutHarm() {
    TestCassandra cassandra = TestCassandra.get();
    try (CqlSession session = cassandra.newSession()) {
      String version = session.execute("SELECT release_version FROM system.local").one().getString(0);
      assertTrue(version.startsWith("5.0"), version);
      CassandraSchema.create(session, TestCassandra.schemaSettings());
      assertTrue(CassandraSchema.exists(session, TestCassandra.schemaSettings()));
      long tables = session.execute(
          "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", TestCassandra.JOURNAL_KEYSPACE)
          .all().size();
      assertEquals(7, tables);
    }
  }

  @Test
  void aTakenPortIsAClearErrorBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress("127.0.0.1", 0));
      DevCassandraSettings settings = new DevCassandraSettings(dir, "127.0.0.1", squatter.getLocalPort(),
          TestCassandra.freePort(), 512, "periodic", Duration.ofSeconds(5));
      PortInUseException error = assertThrows(PortInUseException.class, () -> DevCassandra.start(settings));
      assertTrue(error.getMessage().contains("127.0.0.1:" + squatter.getLocalPort()), error.getMessage());
      assertTrue(error.getMessage().contains("already in use"), error.getMessage());
    }
  }

  @Test
  void theServerWritesItsOwnLogUnderItsDataDirectory() throws Exception {
    TestCassandra.get();
    Path log = Paths.get("target", "test-cassandra", "logs", "system.log");
    assertTrue(Files.exists(log) && Files.readString(log).contains("Startup complete"),
        "Cassandra's log in " + log.toAbsolutePath());
  }

  @Test
  void theServerClasspathIsResolvedFromMaven() {
    assertTrue(DevCassandra.serverClasspath().stream().anyMatch(p -> p.contains("cassandra-all-5.0")));
  }
}
