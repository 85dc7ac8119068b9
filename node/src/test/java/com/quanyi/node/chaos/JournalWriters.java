package com.quanyi.node.chaos;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.quanyi.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the whole journal and finds the persistence ids that had two writers at once: a sequence
 * number written twice. The Cassandra journal accepts such a write (its rows differ by their
 * timestamp), so sharding's promise of one incarnation per entity is the only guard; a second
 * incarnation of a SKU's inventory allocates the same units again.
 */
final class JournalWriters {

  /** A sequence number of one persistence id written more than once, and by which journal writers. */
  record Overlap(String persistenceId, long sequenceNr, Set<String> writers) {}

  private JournalWriters() {}

  static List<Overlap> overlaps(CqlSession cql) {
    Map<String, Set<String>> writers = new HashMap<>();
    Map<String, Integer> rows = new HashMap<>();
    for (Row row : cql.execute(SimpleStatement.newInstance("SELECT persistence_id, sequence_nr, writer_uuid FROM "
        + TestCassandra.JOURNAL_KEYSPACE + ".messages").setPageSize(5000).setTimeout(Duration.ofSeconds(30)))) {
      String key = row.getString("persistence_id") + "#" + row.getLong("sequence_nr");
      rows.merge(key, 1, Integer::sum);
      writers.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(row.getString("writer_uuid"));
    }
    List<Overlap> overlaps = new ArrayList<>();
    rows.forEach((key, count) -> {
      if (count > 1) {
        int at = key.lastIndexOf('#');
        overlaps.add(new Overlap(key.substring(0, at), Long.parseLong(key.substring(at + 1)), writers.get(key)));
      }
    });
    return overlaps;
  }
}
