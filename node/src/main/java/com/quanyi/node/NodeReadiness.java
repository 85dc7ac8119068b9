package com.quanyi.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Whether this node should receive traffic: it finished starting (Cassandra reached, schema in
 * place, entities and HTTP up), is not shutting down, and Cassandra answers right now.
 */
public final class NodeReadiness implements Extension {

  private static final SimpleStatement PROBE =
      SimpleStatement.newInstance("SELECT release_version FROM system.local").setTimeout(Duration.ofSeconds(2));

  private static final ExtensionId<NodeReadiness> ID = new ExtensionId<>() {
    @Override
    public NodeReadiness createExtension(ActorSystem<?> system) {
      return new NodeReadiness();
    }
  };

  private volatile CqlSession session;
  private volatile boolean started;
  private volatile boolean stopping;

  public static NodeReadiness get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  void started(CqlSession session) {
    this.session = session;
    this.started = true;
  }

  void stopping() {
    this.stopping = true;
  }

  /** Whether the API should serve requests now (no Cassandra round trip). */
  public boolean serving() {
    return started && !stopping;
  }

  public CompletionStage<Boolean> isReady() {
    CqlSession current = session;
    if (!started || stopping || current == null) {
      return CompletableFuture.completedFuture(false);
    }
    return current.executeAsync(PROBE)
        .handle((rows, failure) -> failure == null && rows.one() != null);
  }
}
