package com.quanyi.persistence.vault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Codes read ahead, still sealed: allocation hands a batch's positions out in order, so the vault
 * reads {@link #CHUNK} positions at once the first time an order needs one of them, and the next
 * orders find theirs here instead of costing a Cassandra read each. Only ciphertexts are kept (as
 * they are at rest); plaintext exists only in the answer to the channel that bought the code. The
 * most recently used {@code maxChunks} chunks are kept; concurrent orders needing the same chunk
 * wait for one read.
 */
final class SealedCodeChunks {

  /** Positions per read; divides {@link CodeVault#POSITIONS_PER_BUCKET}, so a chunk never spans buckets. */
  static final int CHUNK = 512;

  record SealedCode(CodeCrypto.Sealed sealed, Instant expiresAt) {}

  /** The codes at a chunk's positions that exist (the end of a batch leaves the rest empty). */
  record Chunk(Map<Long, SealedCode> codes) {}

  record Key(String skuId, String batchId, long chunk) {}

  private final int maxChunks;
  private final Map<Key, CompletableFuture<Chunk>> chunks;

  SealedCodeChunks(int maxChunks) {
    this.maxChunks = maxChunks;
    this.chunks = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<Chunk>> eldest) {
        return size() > SealedCodeChunks.this.maxChunks;
      }
    };
  }

  /** The chunk holding {@code position}, read with {@code read} (first position, end) unless held or on its way. */
  CompletableFuture<Chunk> chunk(String skuId, String batchId, long position,
      Function<Long, CompletableFuture<Chunk>> read) {
    Key key = new Key(skuId, batchId, position / CHUNK);
    CompletableFuture<Chunk> loading;
    synchronized (chunks) {
      CompletableFuture<Chunk> known = chunks.get(key);
      if (known != null && !known.isCompletedExceptionally()) {
        return known;
      }
      loading = new CompletableFuture<>();
      chunks.put(key, loading);
    }
    read.apply(key.chunk() * CHUNK).whenComplete((chunk, failure) -> {
      if (failure != null) {
        synchronized (chunks) {
          chunks.remove(key, loading);
        }
        loading.completeExceptionally(failure);
      } else {
        loading.complete(chunk);
      }
    });
    return loading;
  }

  /** Forgets a chunk that lacked a position it should have (read before the codes were all stored). */
  void forget(String skuId, String batchId, long position) {
    synchronized (chunks) {
      chunks.remove(new Key(skuId, batchId, position / CHUNK));
    }
  }
}
