package com.quanyi.persistence.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraSchemaTest {

  private final SchemaSettings settings = new SchemaSettings("j_ks", "own_ks",
      "{'class': 'SimpleStrategy', 'replication_factor': 1}");

  @Test
  void scriptsSplitIntoStatementsWithPlaceholdersFilled() {
    List<String> keyspaces = CassandraSchema.statements("001-keyspaces.cql", settings.placeholders());
    assertEquals(List.of(
        "CREATE KEYSPACE IF NOT EXISTS j_ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE KEYSPACE IF NOT EXISTS own_ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"),
        keyspaces);
    for (String script : CassandraSchema.SCRIPTS) {
      for (String statement : CassandraSchema.statements(script, settings.placeholders())) {
        assertFalse(statement.contains("${"), () -> "unfilled placeholder in " + script + ": " + statement);
        assertFalse(statement.endsWith(";"), statement);
        // Every statement may run again: a creation or a column added, if not there already.
        assertTrue((statement.startsWith("CREATE ") || statement.startsWith("ALTER TABLE "))
            && statement.contains(" IF NOT EXISTS "), statement);
      }
    }
    assertEquals(7, CassandraSchema.statements("002-journal.cql", settings.placeholders()).size());
  }

  @Test
  void replicationComesFromConfig() {
    SchemaSettings cluster = SchemaSettings.fromConfig(ConfigFactory.parseString("""
        quanyi.cassandra { journal-keyspace = j, keyspace = k, replication-strategy = NetworkTopologyStrategy,
          replication-factor = 3, datacenter = dc1 }"""));
    assertEquals("{'class': 'NetworkTopologyStrategy', 'dc1': 3}", cluster.replication());

    SchemaSettings dev = SchemaSettings.fromConfig(ConfigFactory.parseString("""
        quanyi.cassandra { journal-keyspace = j, keyspace = k, replication-strategy = SimpleStrategy,
          replication-factor = 1, datacenter = dc1 }"""));
    assertEquals("{'class': 'SimpleStrategy', 'replication_factor': 1}", dev.replication());
  }

  @Test
  void refusesNamesThatWouldInjectCql() {
    assertThrows(IllegalArgumentException.class, () -> new SchemaSettings("j; DROP KEYSPACE x", "k", "{}"));
    assertThrows(IllegalArgumentException.class, () -> SchemaSettings.fromConfig(ConfigFactory.parseString("""
        quanyi.cassandra { journal-keyspace = j, keyspace = k, replication-strategy = Everywhere,
          replication-factor = 1, datacenter = dc1 }""")));
    assertThrows(IllegalArgumentException.class, () -> SchemaSettings.fromConfig(ConfigFactory.parseString("""
        quanyi.cassandra { journal-keyspace = j, keyspace = k, replication-strategy = SimpleStrategy,
          replication-factor = 0, datacenter = dc1 }""")));
  }
}
