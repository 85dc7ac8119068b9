package com.quanyi.persistence.schema;

import com.typesafe.config.Config;
import java.util.Map;

/**
 * Keyspace names and replication, from {@code quanyi.cassandra}.
 *
 * @param replication a CQL replication map, e.g. {@code {'class': 'SimpleStrategy', 'replication_factor': 1}}
 */
public record SchemaSettings(String journalKeyspace, String keyspace, String replication) {

  public SchemaSettings {
    requireName(journalKeyspace);
    requireName(keyspace);
  }

  public static SchemaSettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.cassandra");
    int factor = c.getInt("replication-factor");
    if (factor < 1) {
      throw new IllegalArgumentException("quanyi.cassandra.replication-factor must be at least 1");
    }
    String strategy = c.getString("replication-strategy");
    String replication = switch (strategy) {
      case "SimpleStrategy" -> "{'class': 'SimpleStrategy', 'replication_factor': " + factor + "}";
      case "NetworkTopologyStrategy" -> "{'class': 'NetworkTopologyStrategy', '"
          + requireName(c.getString("datacenter")) + "': " + factor + "}";
      default -> throw new IllegalArgumentException(
          "quanyi.cassandra.replication-strategy must be SimpleStrategy or NetworkTopologyStrategy");
    };
    return new SchemaSettings(c.getString("journal-keyspace"), c.getString("keyspace"), replication);
  }

  Map<String, String> placeholders() {
    return Map.of("journal_keyspace", journalKeyspace, "keyspace", keyspace, "replication", replication);
  }

  private static String requireName(String name) {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]{0,47}")) {
      throw new IllegalArgumentException("not a valid Cassandra name: " + name);
    }
    return name;
  }
}
