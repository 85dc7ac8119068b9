package com.quanyi.node.chaos;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.quanyi.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the whole journal and finds the persistence ids that had two writers at once: a sequence
 * number written twice. The Cassandra journal accepts such a write (its rows differ by their
 * timestamp), so sharding's promise of one incarnation per entity is the only guard; a second
 * incarnation of a SKU's inventory allocates the same units again.
 */
final class JournalWriters {

  /**
   * One row of a sequence number written more than once: which journal wrote it, when that journal
   * took the event (its time-based row id) and when the driver sent it (the write's timestamp), so
   * a stale write shows where it waited.
   */
  record Write(String writer, Instant taken, Instant sent, String manifest) {
    @Override
    public String toString() {
      return writer.substring(0, 8) + " " + manifest + " taken " + taken + " sent " + sent;
    }
  }

  /** A sequence number of one persistence id written more than once. */
  record Overlap(String persistenceId, long sequenceNr, List<Write> writes) {}

  private JournalWriters() {}

  static List<Overlap> overlaps(CqlSession cql) {
    Map<String, List<Write>> writes = new HashMap<>();
    for (Row row : cql.execute(SimpleStatement.newInstance("SELECT persistence_id, sequence_nr, timestamp, writer_uuid, "
        + "ser_manifest, writetime(writer_uuid) AS sent FROM " + TestCassandra.JOURNAL_KEYSPACE + ".messages")
        .setPageSize(5000).setTimeout(Duration.ofSeconds(30)))) {
      String key = row.getString("persistence_id") + "#" + row.getLong("sequence_nr");
      long sentMicros = row.getLong("sent");
      writes.computeIfAbsent(key, k -> new ArrayList<>(1)).add(new Write(row.getString("writer_uuid"),
          Instant.ofEpochMilli(Uuids.unixTimestamp(row.getUuid("timestamp"))),
          Instant.ofEpochSecond(sentMicros / 1_000_000, sentMicros % 1_000_000 * 1000), row.getString("ser_manifest")));
    }
    List<Overlap> overlaps = new ArrayList<>();
    writes.forEach((key, rows) -> {
      if (rows.size() > 1) {
        int at = key.lastIndexOf('#');
        overlaps.add(new Overlap(key.substring(0, at), Long.parseLong(key.substring(at + 1)), rows));
      }
    });
    return overlaps;
  }
}
