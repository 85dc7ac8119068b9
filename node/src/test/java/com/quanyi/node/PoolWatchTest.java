package com.quanyi.node;

import static com.quanyi.node.PoolWatch.Action.FORCE_DOWN;
import static com.quanyi.node.PoolWatch.Action.FORCE_UP;
import static com.quanyi.node.PoolWatch.Action.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolWatchTest {

  private static final long S = 1_000_000_000L;
  private final PoolWatch watch = new PoolWatch(Duration.ofSeconds(15));

  @Test
  void aNodeWithoutAConnectionForTheWholePeriodGetsANewPool() {
    assertEquals(NONE, watch.observe(0, NodeState.UP, NodeDistance.LOCAL, 2, false));
    assertEquals(NONE, watch.observe(1 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(NONE, watch.observe(15 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false), "14 s without");
    assertEquals(FORCE_DOWN, watch.observe(16 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false), "15 s without");
    assertEquals(NONE, watch.observe(17 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false), "not applied yet");
    assertEquals(FORCE_UP, watch.observe(18 * S, NodeState.FORCED_DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(NONE, watch.observe(19 * S, NodeState.UP, NodeDistance.LOCAL, 0, false), "the new pool gets its own period");
    assertEquals(FORCE_DOWN, watch.observe(34 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
  }

  @Test
  void aConnectionWithinThePeriodStartsItAgain() {
    assertEquals(NONE, watch.observe(0, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(NONE, watch.observe(10 * S, NodeState.UP, NodeDistance.LOCAL, 1, false));
    assertEquals(NONE, watch.observe(11 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(NONE, watch.observe(25 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(FORCE_DOWN, watch.observe(26 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
  }

  @Test
  void nodesTheDriverForcedDownOrIgnoresAreLeftAlone() {
    assertEquals(NONE, watch.observe(0, NodeState.FORCED_DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(NONE, watch.observe(60 * S, NodeState.FORCED_DOWN, NodeDistance.LOCAL, 0, false));
    PoolWatch ignored = new PoolWatch(Duration.ofSeconds(15));
    assertEquals(NONE, ignored.observe(0, NodeState.UP, NodeDistance.IGNORED, 0, false));
    assertEquals(NONE, ignored.observe(60 * S, NodeState.UP, NodeDistance.IGNORED, 0, false));
  }

  @Test
  void aForcedDownTheDriverDoesNotApplyIsAskedForAgain() {
    watch.observe(0, NodeState.DOWN, NodeDistance.LOCAL, 0, false);
    assertEquals(FORCE_DOWN, watch.observe(15 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(NONE, watch.observe(19 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(FORCE_DOWN, watch.observe(20 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false), "5 s later, still empty");
  }

  @Test
  void requestsFailingForWantOfANodeCountAsNoConnection() {
    assertEquals(NONE, watch.observe(0, NodeState.UP, NodeDistance.LOCAL, 2, true));
    assertEquals(NONE, watch.observe(14 * S, NodeState.UP, NodeDistance.LOCAL, 2, true));
    assertEquals(FORCE_DOWN, watch.observe(15 * S, NodeState.UP, NodeDistance.LOCAL, 2, true),
        "connections open, yet every request fails for want of a node: the stuck driver");
  }

  @Test
  void aForcedUpTheDriverDoesNotApplyIsAskedForAgain() {
    watch.observe(0, NodeState.DOWN, NodeDistance.LOCAL, 0, false);
    assertEquals(FORCE_DOWN, watch.observe(15 * S, NodeState.DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(FORCE_UP, watch.observe(16 * S, NodeState.FORCED_DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(NONE, watch.observe(20 * S, NodeState.FORCED_DOWN, NodeDistance.LOCAL, 0, false));
    assertEquals(FORCE_UP, watch.observe(21 * S, NodeState.FORCED_DOWN, NodeDistance.LOCAL, 0, false),
        "forced down by this watch, it is not left there");
  }
}
