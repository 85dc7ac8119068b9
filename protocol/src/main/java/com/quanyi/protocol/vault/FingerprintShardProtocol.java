package com.quanyi.protocol.vault;

import com.quanyi.protocol.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the fingerprint shards: each owns a slice of the vault's fingerprint buckets
 * and is their only writer in the cluster, so uniqueness across the whole vault is checked and
 * claimed without races. The behavior is {@code node/…/vault/FingerprintShard}.
 */
public final class FingerprintShardProtocol {

  public static final EntityTypeKey<ShardCommand> SHARD_TYPE_KEY =
      EntityTypeKey.create(ShardCommand.class, "VaultFingerprintShard");

  private FingerprintShardProtocol() {}

  public sealed interface ShardCommand extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node, never sent by another party. */
  public non-sealed interface Internal extends ShardCommand {}

  /**
   * Claims the fingerprints (distinct, all owned by this shard) for a batch. A fingerprint held
   * by any live batch, this one included, is a duplicate.
   */
  public record Claim(String skuId, String batchId, List<byte[]> fingerprints, ActorRef<Claimed> replyTo)
      implements ShardCommand {}

  /** Indexes into the claim's list of the fingerprints that are now the batch's. */
  public record Claimed(List<Integer> claimedIndexes, String failure) implements CborSerializable {
    public boolean failed() {
      return failure != null;
    }
  }
}
