package com.quanyi.protocol.callback;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of a channel's callback outbox (one sharded persistent actor per channel): the
 * order status callbacks owed to the channel, delivered at least once with retries on a backoff
 * schedule, then parked for an operator to replay. The behavior is {@code node/…/callback/CallbackOutbox}.
 */
public final class CallbackOutboxProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "CallbackOutbox");

  private CallbackOutboxProtocol() {}

  /**
   * One callback: {@code eventId} is stable across retries and replays (the channel dedupes by
   * it); {@code body} the exact JSON that is signed and sent.
   */
  public record Callback(String eventId, String orderId, String url, String body) implements CborSerializable {}

  // ---- commands

  public interface Command extends CborSerializable {}

  /** Idempotent by event id. */
  public record Enqueue(Callback callback, ActorRef<Ack> replyTo) implements Command {}

  public record ListParked(ActorRef<ParkedList> replyTo) implements Command {}

  public record Replay(String eventId, String actor, ActorRef<ReplayReply> replyTo) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record CallbackQueued(Callback callback, Instant at) implements Event {}

  public record CallbackDelivered(String eventId, int attempts, Instant at) implements Event {}

  public record CallbackAttemptFailed(String eventId, int attempt, String why, Instant at) implements Event {}

  public record CallbackParked(String eventId, String why, Instant at) implements Event {}

  public record CallbackReplayed(String eventId, String actor, Instant at) implements Event {}

  // ---- replies

  public record Ack() implements CborSerializable {}

  public record ParkedCallback(String eventId, String orderId, String url, int attempts, String lastError,
      Instant parkedAt) implements CborSerializable {}

  public record ParkedList(List<ParkedCallback> callbacks) implements CborSerializable {}

  public sealed interface ReplayReply extends CborSerializable {}

  public record Requeued(String eventId) implements ReplayReply {}

  public record NotParked(String eventId) implements ReplayReply {}
}
