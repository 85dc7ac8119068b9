package com.quanyi.node.projection;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.persistence.cassandra.query.scaladsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.util.Try;

/**
 * The read journal the projections read their tags from (and the console an entity's events),
 * replaced by a new one when it can no longer answer. pekko-persistence-cassandra (1.1.0, and its main branch) prepares the statement of
 * its tag view scanner once, when the read journal is made, and keeps the outcome: a read journal
 * made while Cassandra was unreachable fails every query by tag from then on, with that first
 * NoNodeAvailableException, however long Cassandra has been back. Seen in the chaos test: a node
 * started again shortly before a Cassandra outage made its read journal as the outage began, and its
 * projections stood still until the end, while the driver sent every other request. The one read
 * journal of {@code PersistenceQuery} cannot be replaced, so the projections use this one.
 */
public final class JournalQueries implements Extension {

  private static final Logger log = LoggerFactory.getLogger(JournalQueries.class);

  private final ExtendedActorSystem system;
  private final AtomicReference<CassandraReadJournal> journal = new AtomicReference<>();

  private JournalQueries(ActorSystem<?> system) {
    this.system = (ExtendedActorSystem) org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system);
  }

  public static JournalQueries get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** A tag's events from {@code offset} on, as the journal's eventsByTag query gives them. */
  public Source<EventEnvelope, NotUsed> eventsByTag(String tag, Offset offset) {
    return working().eventsByTag(tag, offset).asJava();
  }

  /** An entity's events written so far, oldest first; the source ends with the last. */
  public Source<EventEnvelope, NotUsed> eventsOf(String persistenceId) {
    return working().currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE).asJava();
  }

  private CassandraReadJournal working() {
    CassandraReadJournal current = journal.get();
    if (current != null && !cannotScan(current)) {
      return current;
    }
    CassandraReadJournal made = new CassandraReadJournal(system,
        system.settings().config().getConfig(CassandraReadJournal.Identifier()), CassandraReadJournal.Identifier());
    if (journal.compareAndSet(current, made) && current != null) {
      log.warn("The read journal could not prepare its tag view scanner; the projections read from a new one");
    }
    return journal.get();
  }

  private static boolean cannotScan(CassandraReadJournal journal) {
    Option<? extends Try<?>> scanner = journal.tagViewScanner().value();
    return scanner.isDefined() && scanner.get().isFailure();
  }

  static final class Id extends ExtensionId<JournalQueries> {
    static final Id INSTANCE = new Id();

    @Override
    public JournalQueries createExtension(ActorSystem<?> system) {
      return new JournalQueries(system);
    }
  }
}
