package com.quanyi.node.dashboard;

import com.quanyi.node.Replies;
import com.quanyi.node.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.PNCounterMap;
import org.apache.pekko.cluster.ddata.PNCounterMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * The order answers of every node (the {@code quanyi_orders_total} counters), added up across the
 * cluster in a replicated counter map: each node adds what it answered since its last second, and
 * reads the map locally, so any node a dashboard asks shows the whole cluster's answers, the other
 * nodes' a gossip round or two late. Counts start when the cluster does; only their growth (orders
 * per second) is meant to be read.
 */
public final class ClusterOrderAnswers {

  private static final Key<PNCounterMap<String>> KEY = PNCounterMapKey.create("order-answers");
  private static final Duration EVERY = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final Executor dispatcher;
  private final Map<String, Long> published = new HashMap<>();

  private ClusterOrderAnswers(ActorSystem<?> system) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.self = DistributedData.get(system).selfUniqueAddress();
    this.dispatcher = Replies.dispatcher(system);
  }

  /** Starts adding this node's answers every second. */
  public static ClusterOrderAnswers start(ActorSystem<?> system) {
    ClusterOrderAnswers answers = new ClusterOrderAnswers(system);
    system.scheduler().scheduleWithFixedDelay(EVERY, EVERY, answers::publish, system.executionContext());
    return answers;
  }

  /** Every node's answers so far, by {@code kind/outcome/reason}, as this node knows them. */
  public CompletionStage<Map<String, Long>> totals() {
    CompletionStage<Replicator.GetResponse<PNCounterMap<String>>> got = AskPattern.ask(replicator,
        replyTo -> new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo), Duration.ofSeconds(3),
        system.scheduler());
    return Replies.on(dispatcher, got).thenApply(response -> {
      Map<String, Long> totals = new HashMap<>();
      if (response instanceof Replicator.GetSuccess<PNCounterMap<String>> success) {
        success.get(KEY).getEntries().forEach((key, value) -> totals.put(key, value.longValue()));
      }
      return totals;
    });
  }

  /** Runs on the scheduler's executor, one at a time: {@code published} is this method's alone. */
  private void publish() {
    Map<String, Long> deltas = new HashMap<>();
    for (Counter counter : NodeMetrics.registry().find("quanyi.orders").counters()) {
      String key = counter.getId().getTag("kind") + '/' + counter.getId().getTag("outcome") + '/'
          + counter.getId().getTag("reason");
      long now = (long) counter.count();
      long delta = now - published.getOrDefault(key, 0L);
      if (delta > 0) {
        deltas.merge(key, delta, Long::sum);
        published.put(key, now);
      }
    }
    if (deltas.isEmpty()) {
      return;
    }
    replicator.tell(new Replicator.Update<>(KEY, PNCounterMap.empty(), Replicator.writeLocal(), system.ignoreRef(),
        map -> {
          PNCounterMap<String> updated = map;
          for (Map.Entry<String, Long> delta : deltas.entrySet()) {
            updated = updated.incrementBy(delta.getKey(), delta.getValue(), self);
          }
          return updated;
        }));
  }
}
