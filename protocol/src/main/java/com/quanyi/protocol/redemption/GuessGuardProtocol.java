package com.quanyi.protocol.redemption;

import com.quanyi.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of a guess guard: one sharded actor per subject that asks to redeem codes (a
 * verifier, an address), counting its codes that were not found. A guesser is slowed after a few
 * misses and blocked after more, within a window. The behavior is {@code node/…/redemption/GuessGuard}.
 */
public final class GuessGuardProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "RedemptionGuessGuard");

  private GuessGuardProtocol() {}

  /** The entity id of a verifier's guard. */
  public static String verifier(String verifierId) {
    return "verifier:" + verifierId;
  }

  /** The entity id of an address's guard. */
  public static String address(String ip) {
    return "ip:" + ip;
  }

  public static boolean isAddress(String entityId) {
    return entityId.startsWith("ip:");
  }

  public sealed interface Command extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node. */
  public non-sealed interface Internal extends Command {}

  /** May the subject try a code now, and after how long an answer? */
  public record Admit(ActorRef<Admission> replyTo) implements Command {}

  /** A code the subject tried was not found. */
  public record Missed() implements Command {}

  public sealed interface Admission extends CborSerializable {}

  /** Yes; its answer is held back {@code delayMillis} (zero until it has missed a few). */
  public record Admitted(long delayMillis) implements Admission {}

  /** No, for {@code seconds} more. */
  public record Blocked(long seconds) implements Admission {}
}
