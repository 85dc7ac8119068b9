package com.quanyi.node;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** The readiness check Pekko Management calls for {@code GET /ready} (see cluster.conf). */
public final class NodeReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final NodeReadiness readiness;

  public NodeReadinessCheck(ActorSystem system) {
    this.readiness = NodeReadiness.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.isReady();
  }
}
