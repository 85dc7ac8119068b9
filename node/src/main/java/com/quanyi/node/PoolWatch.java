package com.quanyi.node;

import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.time.Duration;

/**
 * What {@link CassandraPoolWatchdog} does about one Cassandra node, from what the driver reports of
 * it each time it looks. A node the driver uses that has had no open connection, or whose session's
 * requests have all failed for want of a node, for {@code emptyFor} gets a new pool: forced down,
 * and once the driver shows it down, forced up again (the driver builds a new pool for a node forced
 * back up). A node the driver forced down itself, or ignores, is left alone.
 */
final class PoolWatch {

  enum Action { NONE, FORCE_DOWN, FORCE_UP }

  /** How long the driver may take to apply a forced state before it is asked again. */
  static final Duration APPLY_WITHIN = Duration.ofSeconds(5);

  private final long emptyForNanos;
  private long emptySince = -1;
  private long forcedDownAt = -1;
  private long forcedUpAt = -1;

  PoolWatch(Duration emptyFor) {
    this.emptyForNanos = emptyFor.toNanos();
  }

  /**
   * What to do now ({@code now} in nanoTime), the node being as the driver reports it and
   * {@code failingWithoutNode} whether the session's requests keep failing for want of a node.
   */
  Action observe(long now, NodeState state, NodeDistance distance, int openConnections, boolean failingWithoutNode) {
    long apply = APPLY_WITHIN.toNanos();
    if (forcedDownAt >= 0) {
      if (state == NodeState.FORCED_DOWN) {
        forcedDownAt = -1;
        forcedUpAt = now;
        return Action.FORCE_UP;
      }
      if (now - forcedDownAt < apply) {
        return Action.NONE;
      }
      forcedDownAt = -1;
    }
    if (forcedUpAt >= 0) {
      if (state == NodeState.FORCED_DOWN) {
        if (now - forcedUpAt < apply) {
          return Action.NONE;
        }
        forcedUpAt = now;
        return Action.FORCE_UP;
      }
      forcedUpAt = -1;
      emptySince = -1;
    }
    boolean empty = openConnections == 0 || failingWithoutNode;
    if (!empty || distance == NodeDistance.IGNORED || state == NodeState.FORCED_DOWN) {
      emptySince = -1;
      return Action.NONE;
    }
    if (emptySince < 0) {
      emptySince = now;
    }
    if (now - emptySince >= emptyForNanos) {
      forcedDownAt = now;
      return Action.FORCE_DOWN;
    }
    return Action.NONE;
  }
}
