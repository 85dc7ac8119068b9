package com.quanyi.node.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Cassandra's own per-table operation counters ("read keyspace.table" → count), for the project's keyspaces. */
public final class CassandraCounters {

  private CassandraCounters() {}

  public static Map<String, Long> read(CqlSession cql) {
    Map<String, Long> counts = new HashMap<>();
    for (String kind : new String[] {"read", "write"}) {
      for (Row r : cql.execute("SELECT keyspace_name, table_name, count FROM system_views.local_" + kind + "_latency")) {
        if (r.getString("keyspace_name").startsWith("quanyi")) {
          counts.put(kind + " " + r.getString("keyspace_name") + "." + r.getString("table_name"), r.getLong("count"));
        }
      }
    }
    return counts;
  }

  /**
   * The counters once the node has gone quiet: two seconds in which nothing but what {@code ignored}
   * names moved (projections catching up on earlier work, for instance).
   */
  public static Map<String, Long> settled(CqlSession cql, Predicate<String> ignored) throws InterruptedException {
    Map<String, Long> last = read(cql);
    Map<String, Long> moved = Map.of();
    for (int i = 0; i < 30; i++) {
      Thread.sleep(2_000);
      Map<String, Long> now = read(cql);
      moved = spent(last, now, ignored);
      if (moved.isEmpty()) {
        return now;
      }
      last = now;
    }
    throw new IllegalStateException("the node never went quiet; the last two seconds: " + moved);
  }

  /** What moved between two readings, leaving out the counters {@code ignored} names. */
  public static Map<String, Long> spent(Map<String, Long> before, Map<String, Long> after,
      Predicate<String> ignored) {
    Map<String, Long> spent = new TreeMap<>();
    after.forEach((table, count) -> {
      long delta = count - before.getOrDefault(table, 0L);
      if (delta > 0 && !ignored.test(table)) {
        spent.put(table, delta);
      }
    });
    return spent;
  }
}
