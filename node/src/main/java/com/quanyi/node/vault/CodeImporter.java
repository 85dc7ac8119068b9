package com.quanyi.node.vault;

import com.quanyi.node.Replies;
import com.quanyi.node.inventory.ExpiryRuns;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.inventory.CodeImportService;
import com.quanyi.persistence.vault.BatchKey;
import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.CsvCodeLine;
import com.quanyi.persistence.vault.FingerprintStore;
import com.quanyi.persistence.vault.NewCode;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AddBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.vault.ImportResult;
import com.quanyi.protocol.vault.FingerprintShardProtocol;
import com.quanyi.protocol.vault.FingerprintShardProtocol.Claim;
import com.quanyi.protocol.vault.FingerprintShardProtocol.Claimed;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.scaladsl.Framing.FramingException;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a CSV of codes into the vault as a new batch: lines are parsed, fingerprinted and
 * claimed chunk by chunk (so memory is bounded by the chunk, not the file), encrypted, written,
 * and finally handed to the SKU's inventory as one allocatable batch. A failed import leaves a
 * FAILED batch whose fingerprints other imports may take; nothing of it is ever allocatable.
 */
public final class CodeImporter implements CodeImportService {

  private static final Logger log = LoggerFactory.getLogger(CodeImporter.class);
  public static final int MAX_LINE_BYTES = 4096;
  private static final int INVALID_LINES_SHOWN = 100;
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter BATCH_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final CodeVault vault;
  private final int chunkSize;
  private final int shards;
  private final Duration askTimeout;
  private final Clock clock;
  private final Executor blocking;

  public CodeImporter(ActorSystem<?> system, CodeVault vault, int chunkSize, int shards, Duration askTimeout, Clock clock) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.vault = vault;
    this.chunkSize = chunkSize;
    this.shards = shards;
    this.askTimeout = askTimeout;
    this.clock = clock;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  @Override
  public CompletionStage<Outcome> importCsv(Request request, Source<ByteString, ?> body) {
    return Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, request.skuId())
        .ask(GetSku::new, askTimeout))
        .thenCompose(lookup -> {
          // A refused import does not read the upload: cancelling it ends the transfer early.
          if (!(lookup instanceof Found found)) {
            body.runWith(Sink.cancelled(), system);
            return CompletableFuture.completedFuture(new Refused(ProblemCode.NOT_FOUND, "no SKU " + request.skuId()));
          }
          SkuDefinition sku = found.sku().definition();
          if (sku.kind() != SkuKind.CARD_CODE) {
            body.runWith(Sink.cancelled(), system);
            return CompletableFuture.completedFuture(
                new Refused(ProblemCode.SKU_UNAVAILABLE, "codes can only be imported into CARD_CODE SKUs"));
          }
          Money unitCost = Money.of(request.unitCost(), sku.listPrice().currency());
          return CompletableFuture
              .supplyAsync(() -> vault.openBatch(sku.skuId(), newBatchId(), request.supplierId(), unitCost, request.actor()),
                  blocking)
              .thenCompose(batch -> run(batch, request, unitCost, body));
        });
  }

  private CompletionStage<Outcome> run(BatchKey batch, Request request, Money unitCost, Source<ByteString, ?> body) {
    Instant now = clock.instant();
    Tally tally = new Tally();
    long started = System.nanoTime();
    return body
        .via(Framing.delimiter(ByteString.fromString("\n"), MAX_LINE_BYTES, FramingTruncation.ALLOW))
        .zipWithIndex()
        .map(numbered -> CsvCodeLine.parse(numbered.first().toArray(), numbered.second() + 1, now))
        .grouped(chunkSize)
        .mapAsync(1, lines -> importChunk(batch, lines, tally))
        .runWith(Sink.ignore(), system)
        .thenComposeAsync(done -> finish(batch, request, unitCost, tally), blocking)
        .thenApply(result -> {
          log.info("Imported batch {} of SKU {}: {} accepted, {} duplicates, {} invalid in {} ms", batch.batchId(),
              batch.skuId(), tally.accepted, tally.duplicates, tally.invalidCount, (System.nanoTime() - started) / 1_000_000);
          if (tally.expiries.merged() > 0) {
            log.warn("Batch {}: {} codes' expiry merged into a neighbouring run's earlier one (over {} runs)",
                batch.batchId(), tally.expiries.merged(), ExpiryRuns.MAX_RUNS);
          }
          return result;
        })
        .exceptionally(failure -> {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          log.warn("Import of batch {} of SKU {} failed after {} codes: {}", batch.batchId(), batch.skuId(),
              tally.accepted, cause instanceof IllegalStateException ? cause.getMessage() : cause.getClass().getSimpleName());
          try {
            vault.fail(batch.skuId(), batch.batchId(), tally.accepted, tally.duplicates, tally.invalidCount);
          } catch (RuntimeException e) {
            log.warn("Could not mark batch {} failed; it is abandoned once its heartbeat is stale", batch.batchId());
          }
          if (cause instanceof FramingException) {
            return new Refused(ProblemCode.INVALID_REQUEST, "a line is longer than " + MAX_LINE_BYTES
                + " bytes; nothing was imported");
          }
          return new Refused(ProblemCode.UNAVAILABLE, "the import failed; nothing was imported, retry the same file");
        });
  }

  private CompletionStage<Void> importChunk(BatchKey batch, List<CsvCodeLine> lines, Tally tally) {
    List<CsvCodeLine.Code> unique = new ArrayList<>();
    List<byte[]> fingerprints = new ArrayList<>();
    Set<ByteBuffer> seen = new HashSet<>();
    for (CsvCodeLine line : lines) {
      if (line instanceof CsvCodeLine.Invalid invalid) {
        tally.invalid(invalid);
      } else if (line instanceof CsvCodeLine.Code code) {
        byte[] fingerprint = vault.fingerprint(code.code());
        if (seen.add(ByteBuffer.wrap(fingerprint))) {
          unique.add(code);
          fingerprints.add(fingerprint);
        } else {
          tally.duplicates++;
        }
      }
    }
    return claim(batch, fingerprints).thenCompose(claimed -> {
      List<NewCode> accepted = new ArrayList<>();
      for (int i = 0; i < unique.size(); i++) {
        if (claimed.contains(i)) {
          CsvCodeLine.Code code = unique.get(i);
          tally.expiries.add(tally.accepted, code.expiresAt());
          accepted.add(new NewCode(tally.accepted++, code.code(), code.expiresAt(), fingerprints.get(i)));
        } else {
          tally.duplicates++;
        }
      }
      CompletionStage<Void> stored = vault.store(batch, accepted);
      if (tally.heartbeatDue(clock.instant())) {
        stored = stored.thenCompose(done -> vault.heartbeat(batch.skuId(), batch.batchId()));
      }
      return stored;
    });
  }

  /** Asks each fingerprint shard for its part; answers the indexes (into the list) now the batch's. */
  private CompletionStage<Set<Integer>> claim(BatchKey batch, List<byte[]> fingerprints) {
    Map<Integer, List<Integer>> byShard = new HashMap<>();
    for (int i = 0; i < fingerprints.size(); i++) {
      int shard = FingerprintShard.shardOf(FingerprintStore.bucket(fingerprints.get(i)), shards);
      byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(i);
    }
    List<CompletableFuture<List<Integer>>> answers = new ArrayList<>();
    byShard.forEach((shard, indexes) -> {
      List<byte[]> part = indexes.stream().map(fingerprints::get).toList();
      answers.add(Replies.on(dispatcher, sharding.entityRefFor(FingerprintShardProtocol.SHARD_TYPE_KEY, Integer.toString(shard))
          .<Claimed>ask(replyTo -> new Claim(batch.skuId(), batch.batchId(), part, replyTo), askTimeout))
          .thenApply(claimed -> {
            if (claimed.failed()) {
              throw new IllegalStateException("fingerprint shard " + shard + ": " + claimed.failure());
            }
            return claimed.claimedIndexes().stream().map(indexes::get).toList();
          })
          .toCompletableFuture());
    });
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Set<Integer> all = new HashSet<>();
      answers.forEach(a -> all.addAll(a.join()));
      return all;
    });
  }

  private CompletionStage<Outcome> finish(BatchKey batch, Request request, Money unitCost, Tally tally) {
    ImportResult result = new ImportResult(batch.batchId(), tally.accepted, tally.duplicates, tally.shownInvalid,
        tally.invalidCount);
    if (tally.accepted == 0) {
      vault.complete(batch.skuId(), batch.batchId(), 0, tally.duplicates, tally.invalidCount);
      return CompletableFuture.completedFuture(new Imported(result));
    }
    return Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, batch.skuId())
        .<SkuInventoryProtocol.BatchLookup>ask(replyTo -> new AddBatch(batch.batchId(), tally.accepted, request.supplierId(),
            unitCost, tally.expiries.runs(), request.actor(), replyTo), askTimeout))
        .thenApplyAsync(added -> {
          if (!(added instanceof BatchFound)) {
            throw new IllegalStateException("the inventory refused batch " + batch.batchId());
          }
          vault.complete(batch.skuId(), batch.batchId(), tally.accepted, tally.duplicates, tally.invalidCount);
          return new Imported(result);
        }, blocking);
  }

  private String newBatchId() {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return "b" + BATCH_TIME.format(clock.instant()) + "-" + java.util.HexFormat.of().formatHex(random);
  }

  /** Counts of one import; touched by one stream stage at a time. */
  private final class Tally {
    long accepted;
    long duplicates;
    long invalidCount;
    final List<ImportResult.InvalidLine> shownInvalid = new ArrayList<>();
    final BatchExpiries expiries = new BatchExpiries();
    Instant lastHeartbeat = clock.instant();

    void invalid(CsvCodeLine.Invalid line) {
      invalidCount++;
      if (shownInvalid.size() < INVALID_LINES_SHOWN) {
        shownInvalid.add(new ImportResult.InvalidLine(line.line(), line.reason()));
      }
    }

    boolean heartbeatDue(Instant now) {
      if (now.isAfter(lastHeartbeat.plus(HEARTBEAT_EVERY))) {
        lastHeartbeat = now;
        return true;
      }
      return false;
    }
  }
}
