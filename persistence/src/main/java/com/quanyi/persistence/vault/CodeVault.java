package com.quanyi.persistence.vault;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SlotRange;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted code vault in Cassandra: batches with their wrapped data keys, and codes as
 * ciphertext at their positions. Codes go in as plaintext only on import and come out as
 * plaintext only through {@link #reveal}, for the delivery to the channel that bought them.
 */
public final class CodeVault {

  private static final Logger log = LoggerFactory.getLogger(CodeVault.class);
  public static final int POSITIONS_PER_BUCKET = 4096;
  private static final int ROWS_PER_WRITE = 100;

  private final CqlSession session;
  private final VaultKeys keys;
  private final Clock clock;
  private final Map<String, SecretKey> openDataKeys = new ConcurrentHashMap<>();
  /** About 128 x 512 sealed codes (some 10 MB) read ahead. */
  private final SealedCodeChunks chunks = new SealedCodeChunks(128);

  private final PreparedStatement insertBatch;
  private final PreparedStatement selectBatch;
  private final PreparedStatement selectAllBatches;
  private final PreparedStatement updateHeartbeat;
  private final PreparedStatement updateOutcome;
  private final PreparedStatement updateWrappedKey;
  private final PreparedStatement insertCode;
  private final PreparedStatement selectCodes;
  private final PreparedStatement updateFingerprintPosition;
  private final PreparedStatement selectExpiry;

  public CodeVault(CqlSession session, String keyspace, VaultKeys keys, Clock clock) {
    this.session = session;
    this.keys = keys;
    this.clock = clock;
    this.insertBatch = session.prepare("INSERT INTO " + keyspace + ".vault_batches (sku_id, batch_id, status, kek_id, "
        + "wrapped_dek, supplier_id, unit_cost, currency, accepted, duplicates, invalid, created_by, created_at, heartbeat) "
        + "VALUES (?, ?, 'IMPORTING', ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?)");
    this.selectBatch = session.prepare("SELECT * FROM " + keyspace + ".vault_batches WHERE sku_id = ? AND batch_id = ?");
    this.selectAllBatches = session.prepare("SELECT sku_id, batch_id, kek_id, wrapped_dek FROM " + keyspace + ".vault_batches");
    this.updateHeartbeat = session.prepare("UPDATE " + keyspace + ".vault_batches SET heartbeat = ? WHERE sku_id = ? AND batch_id = ?");
    this.updateOutcome = session.prepare("UPDATE " + keyspace + ".vault_batches SET status = ?, accepted = ?, "
        + "duplicates = ?, invalid = ?, heartbeat = ? WHERE sku_id = ? AND batch_id = ?");
    this.updateWrappedKey = session.prepare("UPDATE " + keyspace + ".vault_batches SET kek_id = ?, wrapped_dek = ? "
        + "WHERE sku_id = ? AND batch_id = ?");
    this.insertCode = session.prepare("INSERT INTO " + keyspace + ".vault_codes (sku_id, batch_id, bucket, position, "
        + "nonce, ciphertext, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.selectCodes = session.prepare("SELECT position, nonce, ciphertext, expires_at FROM " + keyspace + ".vault_codes "
        + "WHERE sku_id = ? AND batch_id = ? AND bucket = ? AND position >= ? AND position < ?");
    this.selectExpiry = session.prepare("SELECT expires_at FROM " + keyspace + ".vault_codes "
        + "WHERE sku_id = ? AND batch_id = ? AND bucket = ? AND position = ?");
    this.updateFingerprintPosition = session.prepare("UPDATE " + keyspace + ".vault_fingerprints SET position = ? "
        + "WHERE bucket = ? AND fingerprint = ?");
  }

  /** When the code at this position expires; empty when it never does (or is not stored). */
  public CompletionStage<Optional<Instant>> expiresAt(String skuId, String batchId, long position) {
    return session.executeAsync(selectExpiry.bind(skuId, batchId, (int) (position / POSITIONS_PER_BUCKET), position))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(row -> row.getInstant("expires_at")));
  }

  public byte[] fingerprint(String code) {
    return CodeCrypto.fingerprint(keys.fingerprintKey(), code);
  }

  /** Creates a batch in IMPORTING state with a fresh data key, wrapped by the current master key. */
  public BatchKey openBatch(String skuId, String batchId, String supplierId, Money unitCost, String actor) {
    byte[] dataKey = VaultKeys.randomKey();
    String kekId = keys.currentMasterKeyId();
    byte[] wrapped = CodeCrypto.wrapDataKey(keys.currentMasterKey(), kekId, dataKey, skuId, batchId);
    Instant now = clock.instant();
    session.execute(insertBatch.bind(skuId, batchId, kekId, ByteBuffer.wrap(wrapped), supplierId, unitCost.amount(),
        unitCost.currency(), actor, now, now));
    return new BatchKey(skuId, batchId, new SecretKeySpec(dataKey, "AES"));
  }

  /** Encrypts and writes codes (few writes: rows of one bucket go together) and records their positions. */
  public CompletionStage<Void> store(BatchKey batch, List<NewCode> codes) {
    Map<Integer, BatchStatementBuilder> byBucket = new TreeMap<>();
    Map<Integer, BatchStatementBuilder> positionsByFingerprintBucket = new TreeMap<>();
    List<CompletionStage<AsyncResultSet>> writes = new ArrayList<>();
    for (NewCode code : codes) {
      CodeCrypto.Sealed sealed = CodeCrypto.encryptCode(batch.dataKey(), code.code(), batch.skuId(), batch.batchId(),
          code.position());
      int bucket = (int) (code.position() / POSITIONS_PER_BUCKET);
      BatchStatementBuilder rows = byBucket.computeIfAbsent(bucket, b -> BatchStatement.builder(BatchType.UNLOGGED));
      rows.addStatement(insertCode.bind(batch.skuId(), batch.batchId(), bucket, code.position(),
          ByteBuffer.wrap(sealed.nonce()), ByteBuffer.wrap(sealed.ciphertext()), code.expiresAt()));
      if (rows.getStatementsCount() >= ROWS_PER_WRITE) {
        writes.add(session.executeAsync(rows.build()));
        byBucket.remove(bucket);
      }
      int fpBucket = FingerprintStore.bucket(code.fingerprint());
      BatchStatementBuilder positions = positionsByFingerprintBucket.computeIfAbsent(fpBucket,
          b -> BatchStatement.builder(BatchType.UNLOGGED));
      positions.addStatement(updateFingerprintPosition.bind(code.position(), fpBucket, ByteBuffer.wrap(code.fingerprint())));
    }
    byBucket.values().forEach(rows -> writes.add(session.executeAsync(rows.build())));
    positionsByFingerprintBucket.values().forEach(rows -> writes.add(session.executeAsync(rows.build())));
    return CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new));
  }

  public CompletionStage<Void> heartbeat(String skuId, String batchId) {
    return session.executeAsync(updateHeartbeat.bind(clock.instant(), skuId, batchId)).thenApply(rs -> null);
  }

  public void complete(String skuId, String batchId, long accepted, long duplicates, long invalid) {
    session.execute(updateOutcome.bind(BatchRecord.BatchStatus.COMPLETE.name(), accepted, duplicates, invalid,
        clock.instant(), skuId, batchId));
  }

  /** Marks an import as failed: its fingerprints become free for another import. */
  public void fail(String skuId, String batchId, long accepted, long duplicates, long invalid) {
    session.execute(updateOutcome.bind(BatchRecord.BatchStatus.FAILED.name(), accepted, duplicates, invalid,
        clock.instant(), skuId, batchId));
  }

  public Optional<BatchRecord> batch(String skuId, String batchId) {
    return Optional.ofNullable(session.execute(selectBatch.bind(skuId, batchId)).one()).map(CodeVault::toRecord);
  }

  public CompletionStage<Optional<BatchRecord>> batchAsync(String skuId, String batchId) {
    return session.executeAsync(selectBatch.bind(skuId, batchId))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(CodeVault::toRecord));
  }

  /**
   * Decrypts the codes at the given positions, in the order of the ranges. Their ciphertexts come
   * from the chunks read ahead ({@link SealedCodeChunks}): one Cassandra read serves the next
   * {@value SealedCodeChunks#CHUNK} positions of a batch, which allocation hands out in order.
   */
  public CompletionStage<List<RevealedCode>> reveal(String skuId, List<SlotRange> slots) {
    List<CompletableFuture<List<RevealedCode>>> parts = new ArrayList<>();
    for (SlotRange range : slots) {
      SecretKey dataKey = dataKey(skuId, range.batchId());
      for (long from = range.from(); from < range.to(); ) {
        long to = Math.min(range.to(), (from / SealedCodeChunks.CHUNK + 1) * SealedCodeChunks.CHUNK);
        long start = from;
        parts.add(chunks.chunk(skuId, range.batchId(), start, first -> readChunk(skuId, range.batchId(), first))
            .thenCompose(chunk -> opened(chunk, skuId, range.batchId(), dataKey, start, to)));
        from = to;
      }
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<RevealedCode> codes = new ArrayList<>();
      parts.forEach(p -> codes.addAll(p.join()));
      return codes;
    });
  }

  private CompletableFuture<SealedCodeChunks.Chunk> readChunk(String skuId, String batchId, long first) {
    int bucket = (int) (first / POSITIONS_PER_BUCKET);
    return session.executeAsync(selectCodes.bind(skuId, batchId, bucket, first, first + SealedCodeChunks.CHUNK))
        .thenApply(rs -> {
          Map<Long, SealedCodeChunks.SealedCode> codes = new HashMap<>();
          for (Row row : rs.currentPage()) {
            codes.put(row.getLong("position"), new SealedCodeChunks.SealedCode(new CodeCrypto.Sealed(
                bytes(row.getByteBuffer("nonce")), bytes(row.getByteBuffer("ciphertext"))), row.getInstant("expires_at")));
          }
          return new SealedCodeChunks.Chunk(codes);
        }).toCompletableFuture();
  }

  /** The codes of [from, to) opened; a chunk that lacks one of them is read again once. */
  private CompletableFuture<List<RevealedCode>> opened(SealedCodeChunks.Chunk chunk, String skuId, String batchId,
      SecretKey dataKey, long from, long to) {
    if (!holds(chunk, from, to)) {
      chunks.forget(skuId, batchId, from);
      return readChunk(skuId, batchId, from / SealedCodeChunks.CHUNK * SealedCodeChunks.CHUNK)
          .thenApply(fresh -> decrypted(fresh, skuId, batchId, dataKey, from, to));
    }
    return CompletableFuture.completedFuture(decrypted(chunk, skuId, batchId, dataKey, from, to));
  }

  private static List<RevealedCode> decrypted(SealedCodeChunks.Chunk chunk, String skuId, String batchId,
      SecretKey dataKey, long from, long to) {
    List<RevealedCode> codes = new ArrayList<>();
    for (long position = from; position < to; position++) {
      SealedCodeChunks.SealedCode sealed = chunk.codes().get(position);
      if (sealed == null) {
        throw new VaultException("batch " + batchId + " is missing codes at requested positions");
      }
      codes.add(new RevealedCode(batchId, position,
          CodeCrypto.decryptCode(dataKey, sealed.sealed(), skuId, batchId, position), sealed.expiresAt()));
    }
    return codes;
  }

  private static boolean holds(SealedCodeChunks.Chunk chunk, long from, long to) {
    for (long position = from; position < to; position++) {
      if (!chunk.codes().containsKey(position)) {
        return false;
      }
    }
    return true;
  }

  private SecretKey dataKey(String skuId, String batchId) {
    return openDataKeys.computeIfAbsent(skuId + "|" + batchId, k -> {
      Row row = session.execute(selectBatch.bind(skuId, batchId)).one();
      if (row == null) {
        throw new VaultException("no batch " + batchId + " for SKU " + skuId);
      }
      String kekId = row.getString("kek_id");
      return CodeCrypto.unwrapDataKey(keys.masterKey(kekId), kekId, bytes(row.getByteBuffer("wrapped_dek")), skuId, batchId);
    });
  }

  /**
   * Re-wraps every batch key that is not under the current master key: rotation without
   * re-encrypting a single code. Returns the number of batch keys re-wrapped.
   */
  public int rewrapBatchKeys() {
    String current = keys.currentMasterKeyId();
    int rewrapped = 0;
    for (Row row : session.execute(selectAllBatches.bind())) {
      String kekId = row.getString("kek_id");
      if (current.equals(kekId)) {
        continue;
      }
      String skuId = row.getString("sku_id");
      String batchId = row.getString("batch_id");
      SecretKey dataKey = CodeCrypto.unwrapDataKey(keys.masterKey(kekId), kekId, bytes(row.getByteBuffer("wrapped_dek")),
          skuId, batchId);
      byte[] wrapped = CodeCrypto.wrapDataKey(keys.currentMasterKey(), current, dataKey.getEncoded(), skuId, batchId);
      session.execute(updateWrappedKey.bind(current, ByteBuffer.wrap(wrapped), skuId, batchId));
      rewrapped++;
    }
    log.info("Re-wrapped {} batch keys under master key {}", rewrapped, current);
    return rewrapped;
  }

  private static BatchRecord toRecord(Row row) {
    return new BatchRecord(row.getString("sku_id"), row.getString("batch_id"),
        BatchRecord.BatchStatus.valueOf(row.getString("status")), row.getString("kek_id"), row.getString("supplier_id"),
        row.getLong("unit_cost"), row.getString("currency"), row.getLong("accepted"), row.getLong("duplicates"),
        row.getLong("invalid"), row.getString("created_by"), row.getInstant("created_at"), row.getInstant("heartbeat"));
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
