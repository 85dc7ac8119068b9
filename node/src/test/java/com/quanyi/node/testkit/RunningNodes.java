package com.quanyi.node.testkit;

import com.quanyi.node.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real nodes for a test class, started before its first test and stopped after its last:
 * {@code @RegisterExtension static final RunningNodes nodes = RunningNodes.one();}. The first node
 * forms the cluster; the others join it.
 */
public final class RunningNodes implements BeforeAllCallback, AfterAllCallback {

  private final int members;
  private final Map<String, Object> overrides;
  private final List<Node> nodes = new ArrayList<>();
  private final List<HttpTestClient> clients = new ArrayList<>();

  private RunningNodes(int members, Map<String, Object> overrides) {
    this.members = members;
    this.overrides = overrides;
  }

  public static RunningNodes one() {
    return new RunningNodes(1, Map.of());
  }

  /** One node with settings other than the test profile's (e.g. faster polling). */
  public static RunningNodes one(Map<String, Object> overrides) {
    return new RunningNodes(1, overrides);
  }

  public static RunningNodes cluster(int members) {
    return new RunningNodes(members, Map.of());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Node first = TestNodes.startReady(overrides);
    nodes.add(first);
    for (int i = 2; i <= members; i++) {
      nodes.add(TestNodes.startJoining(first, i));
    }
    nodes.forEach(n -> clients.add(new HttpTestClient(n.httpPort())));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    nodes.clear();
    clients.clear();
  }

  public Node node() {
    return node(0);
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  /** A client of the first node, for the admin API and anything unsigned. */
  public HttpTestClient admin() {
    return admin(0);
  }

  public HttpTestClient admin(int index) {
    return clients.get(index);
  }
}
