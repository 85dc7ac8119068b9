package com.quanyi.persistence.reporting;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What each projection instance last said about itself (events applied, the newest event's age
 * when applied, last error), so that any node can show every instance wherever it runs; and the
 * truncation of a projection's tables for a rebuild.
 */
public final class ProjectionStatusStore {

  /** One instance's report. {@code lagMillis}: how old the last applied event was when applied. */
  public record InstanceStatus(String projection, String tag, long events, Instant lastEventAt,
      Instant lastProcessedAt, long lagMillis, String lastError, Instant errorAt, String node, Instant updatedAt) {}

  private static final Duration TRUNCATE_TIMEOUT = Duration.ofSeconds(60);

  private final CqlSession session;
  private final String keyspace;
  private final PreparedStatement upsert;
  private final PreparedStatement select;

  public ProjectionStatusStore(CqlSession session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
    upsert = session.prepare("INSERT INTO " + keyspace + ".projection_status (projection, tag, events, last_event_at, "
        + "last_processed_at, lag_ms, last_error, error_at, node, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    select = session.prepare("SELECT * FROM " + keyspace + ".projection_status WHERE projection = ?");
  }

  public CompletionStage<Void> save(InstanceStatus s) {
    return session.executeAsync(upsert.bind(s.projection(), s.tag(), s.events(), s.lastEventAt(), s.lastProcessedAt(),
        s.lagMillis(), s.lastError(), s.errorAt(), s.node(), s.updatedAt())).thenApply(rs -> null);
  }

  public CompletionStage<List<InstanceStatus>> of(String projection) {
    return session.executeAsync(select.bind(projection)).thenApply(rs -> {
      List<InstanceStatus> all = new ArrayList<>();
      for (Row r : rs.currentPage()) {
        all.add(new InstanceStatus(projection, r.getString("tag"), r.getLong("events"), r.getInstant("last_event_at"),
            r.getInstant("last_processed_at"), r.getLong("lag_ms"), r.getString("last_error"),
            r.getInstant("error_at"), r.getString("node"), r.getInstant("updated_at")));
      }
      return all;
    });
  }

  /** Empties these read-model tables (only while their projection is paused everywhere). */
  public CompletionStage<Void> truncate(List<String> tables) {
    CompletionStage<Void> done = CompletableFuture.completedFuture(null);
    for (String table : tables) {
      done = done.thenCompose(previous -> session.executeAsync(SimpleStatement.newInstance("TRUNCATE " + keyspace + "."
          + table).setTimeout(TRUNCATE_TIMEOUT)).thenApply(rs -> null));
    }
    return done;
  }
}
