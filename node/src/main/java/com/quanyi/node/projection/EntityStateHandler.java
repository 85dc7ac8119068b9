package com.quanyi.node.projection;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * A handler whose read model keeps one state per entity, stamped with the sequence number of the
 * entity's last applied event: an event at or below it is a replay and skipped. The entity's
 * events all carry this instance's tag, so it is the state's only writer and keeps it in memory
 * once read.
 *
 * @param <E> the events
 * @param <S> the state of one entity in the read model
 */
abstract class EntityStateHandler<E, S> extends Handler<EventEnvelope<E>> {

  private final Map<String, S> states = new Lru<>(10_000);

  /** The entity's state as stored (never null: an entity's initial state has sequence number 0). */
  protected abstract CompletionStage<S> load(String entityId);

  protected abstract long seq(S state);

  /** Applies the event, writes what it changed, and answers the entity's new state. */
  protected abstract CompletionStage<S> applyAndWrite(String entityId, S before, EventEnvelope<E> envelope);

  @Override
  public final CompletionStage<Done> process(EventEnvelope<E> envelope) {
    String entityId = ProjectionSupport.entityId(envelope.persistenceId());
    S known = states.get(entityId);
    CompletionStage<S> current = known != null ? CompletableFuture.completedFuture(known) : load(entityId);
    return current.thenCompose(before -> {
      if (seq(before) >= envelope.sequenceNr()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      return applyAndWrite(entityId, before, envelope).thenApply(after -> {
        states.put(entityId, after);
        return Done.getInstance();
      });
    });
  }
}
