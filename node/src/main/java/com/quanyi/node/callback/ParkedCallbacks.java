package com.quanyi.node.callback;

import com.quanyi.node.Replies;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * How many callbacks each channel's outbox holds parked, replicated to every node so the operator
 * alert can see them without waking the outboxes: an outbox holding only parked callbacks
 * passivates, and asking each channel's outbox every few seconds would recover every one of them
 * from its journal. Each outbox writes its own count (one writer per channel at a time: sharding
 * runs it once), when it recovers and after it parks or replays one.
 *
 * <p>Replicated in memory only: after the whole cluster restarts a channel's count is known again
 * once its outbox runs (a new callback for it, a replay, or a look-up of its parked callbacks).
 */
public final class ParkedCallbacks {

  private static final Key<LWWMap<String, Integer>> KEY = LWWMapKey.create("parked-callbacks");

  private final ActorSystem<?> system;
  private final ActorRef<Replicator.Command> replicator;
  private final SelfUniqueAddress self;
  private final Executor dispatcher;

  public ParkedCallbacks(ActorSystem<?> system) {
    this.system = system;
    this.replicator = DistributedData.get(system).replicator();
    this.self = DistributedData.get(system).selfUniqueAddress();
    this.dispatcher = Replies.dispatcher(system);
  }

  /** The channel's outbox holds {@code parked} callbacks now. */
  void record(String channelId, int parked) {
    replicator.tell(new Replicator.Update<>(KEY, LWWMap.empty(), Replicator.writeLocal(), system.ignoreRef(),
        map -> parked == 0 ? map.remove(self, channelId) : map.put(self, channelId, parked)));
  }

  /** Channels with parked callbacks and how many, as this node's replica has them. */
  public CompletionStage<Map<String, Integer>> byChannel() {
    CompletionStage<Replicator.GetResponse<LWWMap<String, Integer>>> got = AskPattern.ask(replicator,
        replyTo -> new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo), Duration.ofSeconds(3),
        system.scheduler());
    return Replies.on(dispatcher, got).thenApply(response -> {
      Map<String, Integer> counts = new TreeMap<>();
      if (response instanceof Replicator.GetSuccess<LWWMap<String, Integer>> success) {
        counts.putAll(success.get(KEY).getEntries());
      }
      return counts;
    });
  }
}
