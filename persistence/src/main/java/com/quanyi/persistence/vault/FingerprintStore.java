package com.quanyi.persistence.vault;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads and writes the vault's fingerprint table, bucket by bucket. It does not decide anything:
 * the fingerprint shard that owns a bucket is its only writer, which is what makes its
 * read-then-claim safe without lightweight transactions (measured here at ~2,000 LWT/s, far too
 * slow to claim a million codes).
 */
public final class FingerprintStore {

  public static final int BUCKETS = 256;
  private static final int KEYS_PER_QUERY = 100;

  private final CqlSession session;
  private final PreparedStatement selectOwners;
  private final PreparedStatement insertClaim;
  private final PreparedStatement selectLocation;

  /** Who holds a fingerprint. */
  public record Owner(String skuId, String batchId) {}

  /** Where a code is in stock: its batch and its position there. */
  public record Location(String skuId, String batchId, long position) {}

  public FingerprintStore(CqlSession session, String keyspace) {
    this.session = session;
    this.selectOwners = session.prepare("SELECT fingerprint, sku_id, batch_id FROM " + keyspace
        + ".vault_fingerprints WHERE bucket = ? AND fingerprint IN ?");
    this.selectLocation = session.prepare("SELECT sku_id, batch_id, position FROM " + keyspace
        + ".vault_fingerprints WHERE bucket = ? AND fingerprint = ?");
    this.insertClaim = session.prepare("INSERT INTO " + keyspace
        + ".vault_fingerprints (bucket, fingerprint, sku_id, batch_id) VALUES (?, ?, ?, ?)");
  }

  public static int bucket(byte[] fingerprint) {
    return ((fingerprint[0] & 0xFF) << 8 | (fingerprint[1] & 0xFF)) % BUCKETS;
  }

  /** The current owners of those of the given fingerprints (all in one bucket) that are claimed. */
  public CompletionStage<Map<ByteBuffer, Owner>> owners(int bucket, List<ByteBuffer> fingerprints) {
    List<CompletableFuture<Map<ByteBuffer, Owner>>> pages = new ArrayList<>();
    for (int i = 0; i < fingerprints.size(); i += KEYS_PER_QUERY) {
      List<ByteBuffer> page = fingerprints.subList(i, Math.min(fingerprints.size(), i + KEYS_PER_QUERY));
      pages.add(session.executeAsync(selectOwners.bind(bucket, page)).thenApply(rs -> {
        Map<ByteBuffer, Owner> owners = new HashMap<>();
        for (Row row : rs.currentPage()) {
          owners.put(row.getByteBuffer("fingerprint"), new Owner(row.getString("sku_id"), row.getString("batch_id")));
        }
        return owners;
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<ByteBuffer, Owner> all = new HashMap<>();
      pages.forEach(p -> all.putAll(p.join()));
      return all;
    });
  }

  /**
   * Where the code with this fingerprint is stored; empty when no batch has it, or when its import
   * never stored it (claimed, then the import died before the code was written).
   */
  public CompletionStage<Optional<Location>> locate(byte[] fingerprint) {
    return session.executeAsync(selectLocation.bind(bucket(fingerprint), ByteBuffer.wrap(fingerprint))).thenApply(rs -> {
      Row row = rs.one();
      if (row == null || row.isNull("position")) {
        return Optional.<Location>empty();
      }
      return Optional.of(new Location(row.getString("sku_id"), row.getString("batch_id"), row.getLong("position")));
    });
  }

  /** Records the fingerprints (all in one bucket) as the batch's. */
  public CompletionStage<Void> claim(int bucket, List<ByteBuffer> fingerprints, String skuId, String batchId) {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < fingerprints.size(); i += KEYS_PER_QUERY) {
      var batch = BatchStatement.builder(BatchType.UNLOGGED);
      for (ByteBuffer fingerprint : fingerprints.subList(i, Math.min(fingerprints.size(), i + KEYS_PER_QUERY))) {
        batch.addStatement(insertClaim.bind(bucket, fingerprint, skuId, batchId));
      }
      writes.add(session.executeAsync(batch.build()).toCompletableFuture());
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }
}
