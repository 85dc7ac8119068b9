package com.quanyi.node;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * How long the partner path waits for one entity's answer. A message sent to an entity on a member
 * the others cannot reach is lost until that member is removed and its shards start elsewhere
 * (detection, split-brain resolver, removal margin: docs/reliability.md), so a request waiting the
 * usual time for it came back, and was repeated by its channel, seconds after the shards had moved.
 * While any member is unreachable the path waits {@code quanyi.http.ask-timeout-while-unreachable}
 * instead: entities on the members still reachable answer well within it, and a channel's repeat
 * of a request lost on the unreachable one reaches the moved shard within that time of its start.
 */
public final class AskTimeout {

  private final Cluster cluster;
  private final Duration usual;
  private final Duration whileUnreachable;

  public AskTimeout(Cluster cluster, Duration usual, Duration whileUnreachable) {
    this.cluster = cluster;
    this.usual = usual;
    this.whileUnreachable = whileUnreachable;
  }

  public static AskTimeout of(ActorSystem<?> system, Config config) {
    return new AskTimeout(Cluster.get(system), config.getDuration("quanyi.http.ask-timeout"),
        config.getDuration("quanyi.http.ask-timeout-while-unreachable"));
  }

  /** The wait for an ask made now. */
  public Duration now() {
    return cluster.state().getUnreachable().isEmpty() ? usual : whileUnreachable;
  }
}
