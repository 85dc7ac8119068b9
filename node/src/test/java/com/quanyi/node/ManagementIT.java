package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.TcpProxy;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.Cluster;
import org.junit.jupiter.api.Test;

class ManagementIT {

  @Test
  void managementListsTheMemberAndReportsReadyAndAlive() {
    try (Node node = TestNodes.startReady()) {
      HttpTestClient management = new HttpTestClient(node.managementPort());
      HttpTestClient.Response members = management.get("/cluster/members", null);
      assertEquals(200, members.status(), members.body());
      JsonNode list = members.json().path("members");
      assertEquals(1, list.size(), members.body());
      assertEquals("Up", list.get(0).path("status").asText());
      assertEquals(members.json().path("selfNode").asText(), list.get(0).path("node").asText());

      Await.until("ready", Duration.ofSeconds(30), () -> management.get("/ready", null).status() == 200);
      assertEquals(200, management.get("/alive", null).status());
    }
  }

  @Test
  void readyOnlyOnceCassandraIsReachable() throws Exception {
    TestCassandra cassandra = TestCassandra.get();
    try (TcpProxy proxy = new TcpProxy(TestCassandra.freePort(), cassandra.host(), cassandra.port())) {
      Node node = Node.start(TestNodes.config(Map.of(
          "quanyi.cassandra.contact-points", List.of("127.0.0.1:" + proxy.port()))));
      try {
        HttpTestClient management = new HttpTestClient(node.managementPortWhenBound()
            .toCompletableFuture().get(30, TimeUnit.SECONDS));
        Await.until("alive", Duration.ofSeconds(30), () -> management.get("/alive", null).status() == 200);
        // Cassandra is unreachable: the node is alive but must not take traffic.
        HttpTestClient api = new HttpTestClient(node.httpPort());
        HttpTestClient.Response early = api.get("/admin/v1/skus/any", TestNodes.ADMIN_TOKEN);
        assertEquals(503, early.status(), early.body());
        assertEquals("UNAVAILABLE", early.problemCode());
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
          // Not ready yet: 503, which a load balancer reads as "ask again" (Pekko's own routes answer 500).
          assertEquals(503, management.get("/ready", null).status());
          assertFalse(node.ready().toCompletableFuture().isDone());
          Thread.sleep(250);
        }

        proxy.open();
        node.ready().toCompletableFuture().get(60, TimeUnit.SECONDS);
        Await.until("ready after Cassandra became reachable", Duration.ofSeconds(30),
            () -> management.get("/ready", null).status() == 200);

        assertEquals(404, api.get("/admin/v1/skus/never-registered", TestNodes.ADMIN_TOKEN).status());
      } finally {
        node.close();
      }
    }
  }

  /**
   * A node that formed a cluster of its own (here: joined itself, as a restarted seed node does
   * when no other seed answers) while another cluster runs on the same journal refuses to start
   * any entity; once that cluster has stopped (its members' notes removed or no longer renewed),
   * a node forms a new one.
   */
  @Test
  void aNodeThatFormedASecondClusterBesideARunningOneRefusesToStart() throws Exception {
    Node second;
    try (Node running = TestNodes.startReady()) {
      second = Node.start(TestNodes.config(Map.of()));
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> second.ready().toCompletableFuture().get(60, TimeUnit.SECONDS));
      assertTrue(refused.getCause().getMessage().contains("another cluster runs on this journal"),
          refused.getCause().getMessage());
      assertTrue(refused.getCause().getMessage().contains(Cluster.get(running.system()).selfMember().address()
          .toString()), "names the running cluster's member: " + refused.getCause().getMessage());
      HttpTestClient api = new HttpTestClient(second.httpPort());
      assertEquals(503, api.get("/admin/v1/skus/any", TestNodes.ADMIN_TOKEN).status(), "serves nothing");
      second.close();
    }
    try (Node afterwards = TestNodes.startReady()) {
      assertEquals(404, new HttpTestClient(afterwards.httpPort()).get("/admin/v1/skus/never-registered",
          TestNodes.ADMIN_TOKEN).status());
    }
  }

  @Test
  void aNodeThatWouldFormASecondClusterRefusesToStart() {
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Node.start(TestNodes.config(
        Map.of("pekko.cluster.seed-nodes", List.of("pekko://quanyi@127.0.0.1:2599")))));
    assertTrue(refused.getMessage().contains("QUANYI_PROFILE=cluster"), refused.getMessage());
  }
}
