package com.quanyi.node.testkit;

import com.quanyi.persistence.testkit.TestCassandra;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node in a process of its own, started from the jar the build just packaged, against the test
 * Cassandra: what a test kills with SIGKILL, as a machine dying would, with no shutdown of any kind.
 */
public final class NodeProcess implements AutoCloseable {

  private final Process process;
  private final int httpPort;
  private final Path log;

  private NodeProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** Started and serving (the partner API answers, if only 401), alone, on the test Cassandra. */
  public static NodeProcess startServing() throws IOException, InterruptedException {
    return start(freePort(), List.of(), String.join(",", contactPoints(TestCassandra.get().configOverrides())));
  }

  /**
   * Started with these system properties (e.g. cluster membership) against {@code contactPoints},
   * and serving; {@code httpPort} fixed so that a restarted member answers where it did.
   */
  public static NodeProcess start(int httpPort, List<String> properties, String contactPoints)
      throws IOException, InterruptedException {
    Path jar = Path.of("target", "quanyi-node.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the integration tests run after `package`");
    }
    Path log = Path.of("target", "node-process-" + httpPort + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-Dquanyi.profile=test", "-Dquanyi.http.port=" + httpPort));
    // The test keyspaces, named here: a node on a Cassandra of its own must not start the shared one.
    command.addAll(List.of("-Dquanyi.cassandra.datacenter=" + TestCassandra.DATACENTER,
        "-Dquanyi.cassandra.journal-keyspace=" + TestCassandra.JOURNAL_KEYSPACE,
        "-Dquanyi.cassandra.keyspace=" + TestCassandra.KEYSPACE));
    properties.forEach(p -> command.add("-D" + p));
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("QUANYI_CASSANDRA_CONTACT_POINTS", contactPoints);
    NodeProcess node = new NodeProcess(builder.start(), httpPort, log);
    node.awaitServing(TestNodes.START_TIMEOUT);
    return node;
  }

  public int httpPort() {
    return httpPort;
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM (the node leaves the cluster and hands its shards over), and wait until the process is gone. */
  public void stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  /** SIGSTOP: the process stands still, as in a long stall (GC, a starved or suspended VM), until {@link #resume}. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Waits up to {@code timeout} for the process to exit by itself; true if it did. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** The partner API answers something other than 503 (starting); fails at once if the process exits. */
  private void awaitServing(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/balance"))
        .timeout(Duration.ofSeconds(2)).build();
    try {
      Await.until("the node process on port " + httpPort + " to serve (log " + log.toAbsolutePath() + ")",
          timeout, () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("the node process exited; log " + log.toAbsolutePath());
            }
            try {
              return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() != 503;
            } catch (IOException notListeningYet) {
              return false;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          });
    } catch (AssertionError | IllegalStateException notServing) {
      kill();
      throw notServing;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> contactPoints(Map<String, Object> overrides) {
    return (List<String>) overrides.get("quanyi.cassandra.contact-points");
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * {@code count} free ports, all different: held open together while chosen, since ports chosen one
   * after another can repeat (seen: a node's management port equal to its remote port).
   */
  public static int[] freePorts(int count) throws IOException {
    java.util.List<ServerSocket> held = new java.util.ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }
}
