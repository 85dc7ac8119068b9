package com.quanyi.protocol.channel;

import com.quanyi.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the nonce registries: one sharded actor per API key and hash bucket of the
 * nonce ({@link #entityId}), so a nonce is refused the second time on every node of the cluster,
 * and a node that dies holds only some buckets of a key: a channel's next request, with a new
 * nonce, most likely finds a live one. The behavior is {@code node/…/channel/NonceRegistry}.
 */
public final class NonceRegistryProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "NonceRegistry");

  private NonceRegistryProtocol() {}

  /** The registry that judges this nonce of this key, one of {@code buckets}. */
  public static String entityId(String apiKey, String nonce, int buckets) {
    return apiKey + "#" + bucket(nonce, buckets);
  }

  public static int bucket(String nonce, int buckets) {
    return Math.floorMod(nonce.hashCode(), buckets);
  }

  public sealed interface Command extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node, never sent by another party. */
  public non-sealed interface Internal extends Command {}

  /** Uses a nonce once; it is remembered until its request's timestamp leaves the window, across restarts. */
  public record UseNonce(String nonce, long timestampMillis, ActorRef<NonceAnswer> replyTo) implements Command {}

  public enum Verdict {
    /** Never used: let the request in. */
    FRESH,
    /** Used before within the window: a replay. */
    USED,
    /**
     * Cannot be judged now: signed before a restarted registry's fence, or its record could not be
     * written. The request may be signed and sent again.
     */
    UNKNOWN
  }

  public record NonceAnswer(Verdict verdict) implements CborSerializable {}
}
