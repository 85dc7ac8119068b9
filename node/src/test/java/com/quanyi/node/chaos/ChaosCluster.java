package com.quanyi.node.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.NodeProcess;
import com.quanyi.persistence.devcassandra.DevCassandra;
import com.quanyi.persistence.devcassandra.DevCassandraSettings;
import com.quanyi.persistence.testkit.TestCassandra;
import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three (or more) nodes in processes of their own, members of one cluster, over a Cassandra of
 * their own (so it can be stopped without taking the other tests' with it): what the chaos test
 * kills, restarts and cuts off. Every member lists every member as a seed node, so any of them can
 * be restarted and join the others.
 */
final class ChaosCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChaosCluster.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final DevCassandraSettings cassandraSettings;
  private DevCassandra cassandra;
  private final int size;
  private final int[] httpPorts;
  private final int[] remotePorts;
  private final int[] managementPorts;
  private final NodeProcess[] nodes;
  private final boolean[] started;
  private final List<String> seeds = new ArrayList<>();
  private final List<String> extra;

  private ChaosCluster(int size, List<String> extra) throws IOException {
    Path dir = Path.of("target", "chaos-cassandra").toAbsolutePath();
    deleteRecursively(dir);
    int[] ports = NodeProcess.freePorts(2 + 3 * size);
    this.cassandraSettings = new DevCassandraSettings(dir, "127.0.0.1", ports[0], ports[1], 768, "batch",
        Duration.ofSeconds(180));
    this.size = size;
    this.extra = extra;
    this.httpPorts = new int[size];
    this.remotePorts = new int[size];
    this.managementPorts = new int[size];
    this.nodes = new NodeProcess[size];
    this.started = new boolean[size];
    for (int i = 0; i < size; i++) {
      httpPorts[i] = ports[2 + 3 * i];
      remotePorts[i] = ports[3 + 3 * i];
      managementPorts[i] = ports[4 + 3 * i];
      seeds.add("pekko://quanyi@127.0.0.1:" + remotePorts[i]);
    }
  }

  /** Cassandra, the first member (it creates the schema alone), then the others together. */
  static ChaosCluster start(int size, List<String> extra) throws Exception {
    ChaosCluster cluster = new ChaosCluster(size, extra);
    try {
      cluster.cassandra = DevCassandra.start(cluster.cassandraSettings);
      cluster.startNode(0);
      for (int i = 1; i < size; i++) {
        cluster.launch(i);
      }
      for (int i = 1; i < size; i++) {
        cluster.awaitReady(i);
      }
      Await.until(size + " members up", Duration.ofSeconds(60), () -> cluster.membersUp(0) == size);
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  int size() {
    return size;
  }

  int httpPort(int node) {
    return httpPorts[node];
  }

  boolean isUp(int node) {
    return nodes[node] != null && nodes[node].isAlive();
  }

  void startNode(int node) throws IOException, InterruptedException {
    launch(node);
    awaitReady(node);
  }

  private void launch(int node) throws IOException, InterruptedException {
    List<String> properties = new ArrayList<>(List.of(
        "quanyi.cluster.join-self=false",
        "pekko.remote.artery.canonical.port=" + remotePorts[node],
        "pekko.management.http.port=" + managementPorts[node],
        // SIGTERM leaves the cluster and hands the shards over, as in production.
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook=on"));
    // The first member of the first start lists itself first: it forms the cluster if no other seed
    // answers. A member started again must never do that (measured: node 1 restarted 2 s after
    // the others removed it formed a second cluster on the same journal), so it lists only the others.
    List<String> joining = new ArrayList<>(seeds);
    if (started[node]) {
      joining.remove(seeds.get(node));
    }
    started[node] = true;
    for (int i = 0; i < joining.size(); i++) {
      properties.add("pekko.cluster.seed-nodes." + i + "=" + joining.get(i));
    }
    properties.addAll(extra);
    nodes[node] = NodeProcess.start(httpPorts[node], properties, cassandra.contactPoint());
  }

  private void awaitReady(int node) {
    Await.until("node " + node + " ready", Duration.ofSeconds(90), () -> ready(node));
  }

  void kill(int node) throws InterruptedException {
    nodes[node].kill();
  }

  void pause(int node) throws IOException, InterruptedException {
    nodes[node].pause();
  }

  void resume(int node) throws IOException, InterruptedException {
    nodes[node].resume();
  }

  /** Waits up to {@code timeout} for the node's process to exit by itself (a member downed exits). */
  boolean awaitExit(int node, Duration timeout) throws InterruptedException {
    return nodes[node].awaitExit(timeout);
  }

  /** SIGTERM: the node leaves, its shards move. */
  void stop(int node) throws InterruptedException {
    nodes[node].stop(Duration.ofSeconds(60));
  }

  void killCassandra() {
    cassandra.kill();
  }

  void startCassandra() {
    cassandra = DevCassandra.start(cassandraSettings);
  }

  /** A session on the cluster's own Cassandra, for the checks that read the journal. */
  CqlSession cql() {
    String[] hostPort = cassandra.contactPoint().split(":");
    return CqlSession.builder().addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .withLocalDatacenter(TestCassandra.DATACENTER).build();
  }

  /** The member (index) whose shard region hosts the entity, as its management endpoint says; -1 if none yet. */
  int hostOf(String entityType, String entityId, int shards) {
    String shard = Integer.toString(Math.abs(entityId.hashCode() % shards));
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < size; i++) {
      if (!isUp(i)) {
        continue;
      }
      // The member's own region's shards: {"regions": [{"shardId", "numEntities"}, ...]}.
      JsonNode regions = management(i, "/cluster/shards/" + entityType);
      for (JsonNode hosted : regions.path("regions")) {
        if (hosted.path("shardId").asText().equals(shard)) {
          return i;
        }
      }
      seen.append(" node ").append(i).append(": ").append(regions);
    }
    log.info("chaos: no member hosts {} shard {};{}", entityType, shard, seen);
    return -1;
  }

  private boolean ready(int node) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPorts[node] + "/ready"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int membersUp(int node) {
    int up = 0;
    for (JsonNode member : management(node, "/cluster/members").path("members")) {
      up += member.path("status").asText().equals("Up") ? 1 : 0;
    }
    return up;
  }

  private JsonNode management(int node, String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + managementPorts[node] + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      return JSON.createObjectNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JSON.createObjectNode();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess node : nodes) {
      if (node != null) {
        node.close();
      }
    }
    if (cassandra != null) {
      cassandra.close();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
