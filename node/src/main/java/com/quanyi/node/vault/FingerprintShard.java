package com.quanyi.node.vault;

import static com.quanyi.protocol.vault.FingerprintShardProtocol.SHARD_TYPE_KEY;

import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.FingerprintStore;
import com.quanyi.persistence.vault.FingerprintStore.Owner;
import com.quanyi.protocol.vault.FingerprintShardProtocol;
import com.quanyi.protocol.vault.FingerprintShardProtocol.Claim;
import com.quanyi.protocol.vault.FingerprintShardProtocol.Claimed;
import com.quanyi.protocol.vault.FingerprintShardProtocol.ShardCommand;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Owner of a slice of the vault's fingerprint buckets ({@code bucket % shards == shard}). Cluster
 * Sharding keeps exactly one of each in the cluster, and each handles one claim at a time, so a
 * fingerprint is read and then claimed with no other writer in between: two imports racing with
 * the same code cannot both get it.
 */
public final class FingerprintShard {

  /** The shard's reads and writes for one claim finished. */
  record ClaimFinished(Claim claim, List<Integer> claimedIndexes, String failure)
      implements FingerprintShardProtocol.Internal {}

  private FingerprintShard() {}

  public static void init(ActorSystem<?> system, FingerprintStore store, CodeVault vault, Duration staleAfter) {
    ClusterSharding.get(system).init(Entity.of(SHARD_TYPE_KEY,
        ctx -> create(store, vault, staleAfter, Clock.systemUTC())));
  }

  public static int shardOf(int bucket, int shards) {
    return bucket % shards;
  }

  static Behavior<ShardCommand> create(FingerprintStore store, CodeVault vault, Duration staleAfter, Clock clock) {
    return Behaviors.withStash(1000, stash -> Behaviors.setup(ctx -> idle(ctx, stash, store, vault, staleAfter, clock)));
  }

  private static Behavior<ShardCommand> idle(ActorContext<ShardCommand> ctx, StashBuffer<ShardCommand> stash,
      FingerprintStore store, CodeVault vault, Duration staleAfter, Clock clock) {
    return Behaviors.receive(ShardCommand.class)
        .onMessage(Claim.class, claim -> {
          ctx.pipeToSelf(finish(claim, store, vault, staleAfter, clock), (claimed, failure) -> failure == null
              ? new ClaimFinished(claim, claimed, null)
              : new ClaimFinished(claim, List.of(), failure.getClass().getSimpleName()));
          return busy(ctx, stash, store, vault, staleAfter, clock);
        })
        .build();
  }

  private static Behavior<ShardCommand> busy(ActorContext<ShardCommand> ctx, StashBuffer<ShardCommand> stash,
      FingerprintStore store, CodeVault vault, Duration staleAfter, Clock clock) {
    return Behaviors.receive(ShardCommand.class)
        .onMessage(ClaimFinished.class, settled -> {
          settled.claim().replyTo().tell(new Claimed(settled.claimedIndexes(), settled.failure()));
          return stash.unstashAll(idle(ctx, stash, store, vault, staleAfter, clock));
        })
        .onMessage(Claim.class, claim -> {
          if (stash.isFull()) {
            claim.replyTo().tell(new Claimed(List.of(), "fingerprint shard overloaded"));
          } else {
            stash.stash(claim);
          }
          return Behaviors.same();
        })
        .build();
  }

  /**
   * Reads the current owners, frees those held by abandoned imports, claims the rest. Runs with
   * no other claim of this shard in between.
   */
  static CompletionStage<List<Integer>> finish(Claim claim, FingerprintStore store, CodeVault vault,
      Duration staleAfter, Clock clock) {
    Map<Integer, List<Integer>> indexesByBucket = new HashMap<>();
    for (int i = 0; i < claim.fingerprints().size(); i++) {
      indexesByBucket.computeIfAbsent(FingerprintStore.bucket(claim.fingerprints().get(i)), b -> new ArrayList<>()).add(i);
    }
    List<CompletableFuture<List<Integer>>> perBucket = new ArrayList<>();
    Map<Owner, CompletionStage<Boolean>> abandoned = new ConcurrentHashMap<>();
    indexesByBucket.forEach((bucket, indexes) -> {
      List<ByteBuffer> fingerprints = indexes.stream().map(i -> ByteBuffer.wrap(claim.fingerprints().get(i))).toList();
      perBucket.add(store.owners(bucket, fingerprints).thenCompose(owners -> {
        List<CompletableFuture<Optional<Integer>>> decisions = new ArrayList<>();
        for (int k = 0; k < indexes.size(); k++) {
          int index = indexes.get(k);
          Owner owner = owners.get(fingerprints.get(k));
          if (owner == null) {
            decisions.add(CompletableFuture.completedFuture(Optional.of(index)));
          } else if (owner.skuId().equals(claim.skuId()) && owner.batchId().equals(claim.batchId())) {
            decisions.add(CompletableFuture.completedFuture(Optional.empty()));
          } else {
            decisions.add(abandoned.computeIfAbsent(owner, o -> vault.batchAsync(o.skuId(), o.batchId())
                    .thenApply(record -> record.map(r -> r.isAbandoned(clock.instant(), staleAfter)).orElse(true)))
                .thenApply(free -> free ? Optional.of(index) : Optional.<Integer>empty())
                .toCompletableFuture());
          }
        }
        return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).thenCompose(done -> {
          List<Integer> claimed = decisions.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
          List<ByteBuffer> toClaim = claimed.stream().map(i -> ByteBuffer.wrap(claim.fingerprints().get(i))).toList();
          return store.claim(bucket, toClaim, claim.skuId(), claim.batchId()).thenApply(written -> claimed);
        });
      }).toCompletableFuture());
    });
    return CompletableFuture.allOf(perBucket.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<Integer> all = new ArrayList<>();
      perBucket.forEach(b -> all.addAll(b.join()));
      return all;
    });
  }
}
