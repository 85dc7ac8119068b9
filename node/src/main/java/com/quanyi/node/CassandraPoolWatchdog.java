package com.quanyi.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.EndPoint;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.internal.core.context.InternalDriverContext;
import com.datastax.oss.driver.internal.core.metadata.TopologyEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Cassandra driver a new connection pool to a node it has had no connection to for a
 * while, or while every request of the session failed for want of a node (see {@link PoolWatch}).
 * Seen in the chaos test: after Cassandra was down for 20 s and started again, one node's driver
 * made its last reconnection attempt while Cassandra was still starting and never another; every
 * statement then failed with NoNodeAvailableException for minutes while the other nodes' sessions
 * worked, and the projections that node ran stood still. A later run showed the same symptom after
 * this watch had rebuilt the pool once, and it did not act again: the node then had connections,
 * or stayed forced down (its log does not say); hence the second condition, and forcing up again.
 * Against a Cassandra that is really down, a new pool costs one more failed connection attempt.
 *
 * <p>The driver has no public way to rebuild a pool; forced down and up through its event bus is
 * the way its own code does it.
 */
public final class CassandraPoolWatchdog {

  private static final Logger log = LoggerFactory.getLogger(CassandraPoolWatchdog.class);
  static final Duration EVERY = Duration.ofSeconds(1);
  private static final Duration DESCRIBE_EVERY = Duration.ofSeconds(5);

  private final CqlSession session;
  private final Duration emptyFor;
  private final Map<EndPoint, PoolWatch> watches = new HashMap<>();
  private final SessionOutcomes outcomes;
  private long describedAt = Long.MIN_VALUE / 2;
  private long describedFailures;

  CassandraPoolWatchdog(CqlSession session, Duration emptyFor) {
    this.session = session;
    this.emptyFor = emptyFor;
    this.outcomes = SessionOutcomes.of(session.getName());
  }

  /** Looks at the session's nodes every second, from now until the system stops. */
  public static void watch(ActorSystem<?> system, CqlSession session, Duration emptyFor) {
    if (!(session.getContext() instanceof InternalDriverContext)) {
      log.warn("The Cassandra session is not the driver's own; its pools are not watched");
      return;
    }
    CassandraPoolWatchdog watchdog = new CassandraPoolWatchdog(session, emptyFor);
    system.scheduler().scheduleWithFixedDelay(EVERY, EVERY, watchdog::look, system.executionContext());
  }

  /** One look at a time (the scheduler's fixed delay), so the watches need no lock. */
  void look() {
    try {
      lookAtEachNode(System.nanoTime());
    } catch (RuntimeException e) {
      // The scheduler stops a task that throws; the next look may well succeed.
      log.warn("Could not look at the Cassandra session's pools: {}", e.toString());
    }
  }

  private void lookAtEachNode(long now) {
    long failing = outcomes.failingWithoutNodeFor(now, emptyFor.toNanos());
    long failures = outcomes.noNodeFailures();
    if (failures > describedFailures && now - describedAt >= DESCRIBE_EVERY.toNanos()) {
      describe(now, failures - describedFailures);
      describedAt = now;
      describedFailures = failures;
    }
    for (Node node : session.getMetadata().getNodes().values()) {
      PoolWatch watch = watches.computeIfAbsent(node.getEndPoint(), endPoint -> new PoolWatch(emptyFor));
      switch (watch.observe(now, node.getState(), node.getDistance(), node.getOpenConnections(), failing > 0)) {
        case FORCE_DOWN -> {
          log.warn("Cassandra node {}: {} connections, requests failing for want of a node for {} ms (driver state {}, "
              + "reconnecting: {}); giving it a new connection pool", node.getEndPoint(), node.getOpenConnections(),
              TimeUnit.NANOSECONDS.toMillis(failing), node.getState(), node.isReconnecting());
          fire(node, TopologyEvent::forceDown);
        }
        case FORCE_UP -> {
          log.warn("Cassandra node {} forced down for its new pool; forcing it up", node.getEndPoint());
          fire(node, TopologyEvent::forceUp);
        }
        case NONE -> { }
      }
    }
  }

  /**
   * What the driver shows while requests fail for want of a node: whether it is the pools, the
   * load-balancing policy's live nodes (an empty query plan) or the node's state.
   */
  private void describe(long now, long failures) {
    InternalDriverContext context = (InternalDriverContext) session.getContext();
    Set<Node> planned = new HashSet<>(context.getLoadBalancingPolicyWrapper().newQueryPlan());
    StringBuilder nodes = new StringBuilder();
    for (Node node : session.getMetadata().getNodes().values()) {
      nodes.append(String.format(" %s: %s, %d connections, reconnecting %s, %s, %s;", node.getEndPoint(),
          node.getState(), node.getOpenConnections(), node.isReconnecting(), node.getDistance(),
          planned.contains(node) ? "in query plans" : "in no query plan"));
    }
    log.warn("{} Cassandra requests failed for want of a node since the last report (last answer {} ms ago):{}",
        failures, TimeUnit.NANOSECONDS.toMillis(now - outcomes.answeredAt()), nodes);
  }

  private void fire(Node node, Function<InetSocketAddress, TopologyEvent> event) {
    node.getBroadcastRpcAddress().ifPresentOrElse(
        address -> ((InternalDriverContext) session.getContext()).getEventBus().fire(event.apply(address)),
        () -> log.warn("Cassandra node {} has no broadcast address; its pool cannot be rebuilt", node.getEndPoint()));
  }
}
