package com.quanyi.protocol.channel;

import com.quanyi.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the nonce registries: one sharded actor per API key, so a nonce is refused the
 * second time on every node of the cluster, not only the one that saw it first. The behavior is
 * {@code node/…/channel/NonceRegistry}.
 */
public final class NonceRegistryProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "NonceRegistry");

  private NonceRegistryProtocol() {}

  public sealed interface Command extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node, never sent by another party. */
  public non-sealed interface Internal extends Command {}

  /** Uses a nonce once; it is remembered until its request's timestamp leaves the window. */
  public record UseNonce(String nonce, long timestampMillis, ActorRef<NonceAnswer> replyTo) implements Command {}

  public record NonceAnswer(boolean fresh) implements CborSerializable {}
}
