package com.quanyi.persistence.schema;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the keyspaces and tables from the CQL scripts in this package, idempotently
 * ({@code IF NOT EXISTS}). Run from one place at a time: concurrent schema changes from several
 * nodes can leave Cassandra with mismatched table ids, so the cluster profile runs it as a
 * separate step rather than on every node's start.
 */
public final class CassandraSchema {

  private static final Logger log = LoggerFactory.getLogger(CassandraSchema.class);
  static final List<String> SCRIPTS = List.of("001-keyspaces.cql", "002-journal.cql", "003-projections.cql", "004-vault.cql",
      "005-risk.cql", "006-reporting.cql", "007-orders.cql", "008-channels.cql", "009-cluster.cql", "010-redemption.cql",
      "011-expiry.cql", "012-verifier-suppliers.cql");
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

  private CassandraSchema() {}

  public static void create(CqlSession session, SchemaSettings settings) {
    long started = System.nanoTime();
    int count = 0;
    // The driver refreshes its schema metadata after every DDL statement, debounced over a 1 s
    // window, and the statement waits for it: ~1 s each, 41 s for this schema on two cores. Off
    // while the schema is made (agreement is still awaited per statement), refreshed once after.
    session.setSchemaMetadataEnabled(false);
    try {
      for (String script : SCRIPTS) {
        for (String cql : statements(script, settings.placeholders())) {
          session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
          count++;
        }
      }
    } finally {
      session.setSchemaMetadataEnabled(null).toCompletableFuture().join();
    }
    if (!session.checkSchemaAgreement()) {
      log.warn("Cassandra nodes do not agree on the schema yet; continuing");
    }
    log.info("Schema ready: {} statements in {} ms (keyspaces {} and {})", count,
        (System.nanoTime() - started) / 1_000_000, settings.journalKeyspace(), settings.keyspace());
  }

  /** True once every table the scripts define exists (used where another process creates them). */
  public static boolean exists(CqlSession session, SchemaSettings settings) {
    return session.getMetadata().getKeyspace(settings.journalKeyspace())
        .flatMap(ks -> ks.getTable("messages"))
        .isPresent()
        && session.getMetadata().getKeyspace(settings.keyspace())
        .flatMap(ks -> ks.getTable("offset_store"))
        .isPresent();
  }

  static List<String> statements(String script, Map<String, String> placeholders) {
    String text;
    try (InputStream in = CassandraSchema.class.getResourceAsStream(script)) {
      if (in == null) {
        throw new IllegalStateException("missing schema script " + script);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Map.Entry<String, String> p : placeholders.entrySet()) {
      text = text.replace("${" + p.getKey() + "}", p.getValue());
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException(script + " ends without a ';'");
    }
    return statements;
  }
}
