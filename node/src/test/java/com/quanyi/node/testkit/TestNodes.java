package com.quanyi.node.testkit;

import com.quanyi.node.Node;
import com.quanyi.node.NodeConfig;
import com.quanyi.persistence.testkit.TestCassandra;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.Cluster;

/** Starts real nodes (test profile, random ports) against the shared test Cassandra. */
public final class TestNodes {

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private TestNodes() {}

  public static Config config(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>(TestCassandra.get().configOverrides());
    all.putAll(overrides);
    return NodeConfig.load("test", all);
  }

  /** A node that has finished starting: Cassandra reached, schema in place, HTTP bound. */
  public static Node startReady(Map<String, Object> overrides) {
    Node node = Node.start(config(overrides));
    try {
      node.ready().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      node.close();
      throw new IllegalStateException("test node did not start", e);
    }
    return node;
  }

  public static Node startReady() {
    return startReady(Map.of());
  }

  /** A node that joins {@code seed}'s cluster, returned once the cluster has {@code members} members. */
  public static Node startJoining(Node seed, int members) {
    String address = Cluster.get(seed.system()).selfMember().address().toString();
    Node node = startReady(Map.of("quanyi.cluster.join-self", false, "pekko.cluster.seed-nodes",
        List.of(address)));
    Await.until(members + " members up", Duration.ofSeconds(30),
        () -> Cluster.get(seed.system()).state().getMembers().spliterator()
            .estimateSize() == members);
    return node;
  }
}
