package com.quanyi.node.projection;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A tag's events for a projection, starting {@code quanyi.projections.rewind} before the offset the
 * projection stored.
 *
 * <p>Why not at the offset: a tag view row can appear after the query has passed its time. The
 * journal writes an event, then its tag view; an event whose tag view write failed or was cut off
 * (Cassandra or the node died in between) is in the journal alone until its entity recovers and
 * writes the tag view, with the event's original time. A running query finds such rows by looking
 * back (the journal's back-track), but only as far as where it started: a projection that
 * restarted in between, from an offset past that time, would never see them (issue 14: two orders
 * missing from every report for good). The lateness is bounded: the event's time is at most the
 * journal's write timeout plus its tag write timeout (≈ 10 s) before the failure, and the stored
 * offset is at most the failure's time. Every handler skips what it applied before (by the
 * entity's sequence number; the callback outbox by event id), so the rewound events cost reads,
 * not double counts.
 *
 * <p>Read through {@link JournalQueries}, not the read journal a projection would look up itself.
 */
public final class TagSource<E> extends SourceProvider<Offset, EventEnvelope<E>> {

  private final JournalQueries queries;
  private final String tag;
  private final Duration rewind;

  private TagSource(JournalQueries queries, String tag, Duration rewind) {
    this.queries = queries;
    this.tag = tag;
    this.rewind = rewind;
  }

  public static <E> TagSource<E> of(ActorSystem<?> system, String tag) {
    return new TagSource<>(JournalQueries.get(system), tag,
        system.settings().config().getDuration("quanyi.projections.rewind"));
  }

  @Override
  public CompletionStage<Source<EventEnvelope<E>, NotUsed>> source(Supplier<CompletionStage<Optional<Offset>>> offset) {
    return offset.get().thenApply(stored -> queries.eventsByTag(tag, stored.map(this::rewound).orElse(Offset.noOffset()))
        .map(TagSource::envelope));
  }

  @SuppressWarnings("unchecked")
  private static <E> EventEnvelope<E> envelope(org.apache.pekko.persistence.query.EventEnvelope read) {
    return EventEnvelope.create(read.offset(), read.persistenceId(), read.sequenceNr(), (E) read.event(),
        read.timestamp());
  }

  Offset rewound(Offset stored) {
    return stored instanceof TimeBasedUUID time ? rewound(time, rewind) : stored;
  }

  static TimeBasedUUID rewound(TimeBasedUUID stored, Duration rewind) {
    return new TimeBasedUUID(Uuids.startOf(Uuids.unixTimestamp(stored.value()) - rewind.toMillis()));
  }

  @Override
  public Offset extractOffset(EventEnvelope<E> envelope) {
    return envelope.offset();
  }

  @Override
  public long extractCreationTime(EventEnvelope<E> envelope) {
    return envelope.timestamp();
  }
}
