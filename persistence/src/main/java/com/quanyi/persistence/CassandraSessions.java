package com.quanyi.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The one CQL session our own code shares with the persistence plugin (same config path, so the
 * registry hands out the same driver session): schema, vault, read models.
 */
public final class CassandraSessions {

  private static final String CONFIG_PATH = "pekko.persistence.cassandra";

  private CassandraSessions() {}

  public static CassandraSession session(ClassicActorSystemProvider system) {
    return CassandraSessionRegistry.get(system).sessionFor(CassandraSessionSettings.create(CONFIG_PATH));
  }

  /** Completes once Cassandra is reachable (the driver retries on init, see persistence.conf). */
  public static CompletionStage<CqlSession> cqlSession(ClassicActorSystemProvider system) {
    return session(system).underlying();
  }
}
