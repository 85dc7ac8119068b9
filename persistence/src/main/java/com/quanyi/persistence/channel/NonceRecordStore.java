package com.quanyi.persistence.channel;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a nonce registry (one API key's hash bucket) records in Cassandra: its lease
 * ({@code nonce_leases}) and the nonces of requests stamped ahead of its clock ({@code used_nonces},
 * by the 5-minute slot of their timestamp).
 */
public final class NonceRecordStore {

  /** A used nonce, its request's timestamp and when it leaves the window (epoch ms). */
  public record UsedNonce(String nonce, long timestampMillis, long expiresAtMillis) {}

  /** What a starting registry reads: the previous lease (if any) and the recorded nonces (nonce → expiry). */
  public record Record(OptionalLong activeUntil, Map<String, Long> nonces) {}

  static final long SLOT_MILLIS = Duration.ofMinutes(5).toMillis();

  private final CqlSession session;
  private final PreparedStatement insertNonce;
  private final PreparedStatement selectNonces;
  private final PreparedStatement upsertLease;
  private final PreparedStatement selectLease;

  public NonceRecordStore(CqlSession session, String keyspace) {
    this.session = session;
    this.insertNonce = session.prepare("INSERT INTO " + keyspace
        + ".used_nonces (api_key, bucket, slot, nonce, expires_at) VALUES (?, ?, ?, ?, ?) USING TTL ?");
    this.selectNonces = session.prepare("SELECT nonce, expires_at FROM " + keyspace
        + ".used_nonces WHERE api_key = ? AND bucket = ? AND slot = ?");
    this.upsertLease = session.prepare("INSERT INTO " + keyspace
        + ".nonce_leases (api_key, bucket, active_until) VALUES (?, ?, ?)");
    this.selectLease = session.prepare("SELECT active_until FROM " + keyspace
        + ".nonce_leases WHERE api_key = ? AND bucket = ?");
  }

  /**
   * Writes the lease (if given) and the nonces (one unlogged batch per slot: one partition each);
   * completes when all are written.
   */
  public CompletionStage<Void> write(String apiKey, int bucket, OptionalLong activeUntil, List<UsedNonce> nonces,
      long nowMillis) {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    if (activeUntil.isPresent()) {
      writes.add(session.executeAsync(upsertLease.bind(apiKey, bucket, activeUntil.getAsLong())).toCompletableFuture());
    }
    Map<Long, BatchStatementBuilder> bySlot = new TreeMap<>();
    for (UsedNonce used : nonces) {
      long slot = slot(used.timestampMillis());
      int ttl = (int) Math.max(1, (used.expiresAtMillis() - nowMillis + 999) / 1000);
      bySlot.computeIfAbsent(slot, s -> BatchStatement.builder(DefaultBatchType.UNLOGGED))
          .addStatement(insertNonce.bind(apiKey, bucket, slot, used.nonce(), used.expiresAtMillis(), ttl));
    }
    bySlot.values().forEach(batch -> writes.add(session.executeAsync(batch.build()).toCompletableFuture()));
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  /** The lease and the nonces stamped within {@code [fromMillis, toMillis]} not expired by {@code nowMillis}. */
  public CompletionStage<Record> read(String apiKey, int bucket, long fromMillis, long toMillis, long nowMillis) {
    CompletableFuture<OptionalLong> lease = session.executeAsync(selectLease.bind(apiKey, bucket))
        .thenApply(rs -> {
          Row row = rs.one();
          return row == null ? OptionalLong.empty() : OptionalLong.of(row.getLong("active_until"));
        }).toCompletableFuture();
    List<CompletableFuture<List<Row>>> reads = new ArrayList<>();
    for (long slot = slot(fromMillis); slot <= slot(toMillis); slot++) {
      reads.add(all(session.executeAsync(selectNonces.bind(apiKey, bucket, slot)), new ArrayList<>())
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCombine(lease, (done, until) -> {
      Map<String, Long> nonces = new HashMap<>();
      for (CompletableFuture<List<Row>> read : reads) {
        for (Row row : read.join()) {
          long expires = row.getLong("expires_at");
          if (expires >= nowMillis) {
            nonces.merge(row.getString("nonce"), expires, Math::max);
          }
        }
      }
      return new Record(until, nonces);
    });
  }

  static long slot(long timestampMillis) {
    return Math.floorDiv(timestampMillis, SLOT_MILLIS);
  }

  private static CompletionStage<List<Row>> all(CompletionStage<AsyncResultSet> page, List<Row> rows) {
    return page.thenCompose(rs -> {
      rs.currentPage().forEach(rows::add);
      return rs.hasMorePages() ? all(rs.fetchNextPage(), rows) : CompletableFuture.completedFuture(rows);
    });
  }
}
