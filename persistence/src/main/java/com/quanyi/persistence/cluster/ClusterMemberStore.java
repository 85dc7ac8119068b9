package com.quanyi.persistence.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The members of the running cluster as they note themselves ({@code cluster_members}). */
public final class ClusterMemberStore {

  private final CqlSession session;
  private final PreparedStatement note;
  private final PreparedStatement delete;
  private final PreparedStatement selectAll;
  private final int ttlSeconds;

  /** @param lives how long a member's note stays after it was written */
  public ClusterMemberStore(CqlSession session, String keyspace, Duration lives) {
    this.session = session;
    this.ttlSeconds = (int) Math.max(1, lives.toSeconds());
    this.note = session.prepare("INSERT INTO " + keyspace + ".cluster_members (address, noted) VALUES (?, ?) USING TTL ?");
    this.delete = session.prepare("DELETE FROM " + keyspace + ".cluster_members WHERE address = ?");
    this.selectAll = session.prepare("SELECT address, noted FROM " + keyspace + ".cluster_members");
  }

  /** Notes that {@code address} is a running member; {@code noted} only has to change from one note to the next. */
  public CompletionStage<Void> note(String address, long noted) {
    return session.executeAsync(note.bind(address, noted, ttlSeconds)).thenApply(rs -> null);
  }

  public CompletionStage<Void> remove(String address) {
    return session.executeAsync(delete.bind(address)).thenApply(rs -> null);
  }

  /** Every noted member (a handful of rows: the table holds one per running member). */
  public CompletionStage<Map<String, Long>> all() {
    return session.executeAsync(selectAll.bind()).thenApply(rs -> {
      Map<String, Long> members = new HashMap<>();
      for (Row row : rs.currentPage()) {
        members.put(row.getString("address"), row.getLong("noted"));
      }
      return members;
    });
  }
}
