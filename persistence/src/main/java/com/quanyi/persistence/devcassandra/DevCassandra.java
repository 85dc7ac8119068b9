package com.quanyi.persistence.devcassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Cassandra 5.0, started as a child JVM for development and tests.
 *
 * <p>The server's jars come from Maven Central through the {@code quanyi-dev-cassandra-server}
 * artifact, which records their classpath as a resource; they never join this JVM's classpath
 * (Cassandra's Guava and Netty would clash with the driver's). Cassandra 3.11 and 4.x do not
 * run on Java 17, which is why the Pekko launcher artifact is not used.
 */
public final class DevCassandra implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevCassandra.class);
  private static final String CLASSPATH_RESOURCE = "server.classpath";
  private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  private static final String PID_FILE = "cassandra.pid";

  /** From Cassandra's own conf/jvm17-server.options: what it needs opened on Java 17. */
  private static final List<String> JAVA17_OPENS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.math=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/java.net=ALL-UNNAMED");

  private final DevCassandraSettings settings;
  private final Process process;

  private DevCassandra(DevCassandraSettings settings, Process process) {
    this.settings = settings;
    this.process = process;
  }

  /** Starts Cassandra and returns once CQL answers on the native port. */
  public static DevCassandra start(DevCassandraSettings settings) {
    Path dir = settings.dataDir().toAbsolutePath();
    stopLeftoverFromEarlierRun(dir);
    requireFree(settings.host(), settings.nativePort(), "CQL (native transport)");
    requireFree(settings.host(), settings.storagePort(), "Cassandra storage");
    try {
      Files.createDirectories(dir.resolve("conf"));
      Files.createDirectories(dir.resolve("logs"));
      Map<String, String> values = Map.of(
          "host", settings.host(),
          "native_port", Integer.toString(settings.nativePort()),
          "storage_port", Integer.toString(settings.storagePort()),
          "dir", dir.toString(),
          "commitlog", commitlogSection(settings.commitlogSync()));
      Path yaml = writeTemplate("cassandra.yaml", dir.resolve("conf/cassandra.yaml"), values);
      Path logback = writeTemplate("logback.xml", dir.resolve("conf/logback.xml"), values);

      List<String> classpath = serverClasspath();
      String jamm = classpath.stream()
          .filter(entry -> Paths.get(entry).getFileName().toString().startsWith("jamm-"))
          .findFirst()
          .orElseThrow(() -> new CassandraStartException("jamm is missing from the Cassandra server classpath"));

      List<String> command = new ArrayList<>();
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xms" + settings.heapMb() + "m");
      command.add("-Xmx" + settings.heapMb() + "m");
      command.add("-Xss512k");
      command.add("-XX:+UseG1GC");
      command.add("-javaagent:" + jamm);
      command.add("-Djdk.attach.allowAttachSelf=true");
      command.add("-Dcassandra.config=" + yaml.toUri());
      command.add("-Dcassandra.storagedir=" + dir);
      command.add("-Dcassandra-foreground=true");
      command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
      command.add("-Dcassandra.load_ring_state=false");
      command.add("-Dlogback.configurationFile=" + logback.toUri());
      command.addAll(JAVA17_OPENS);
      command.add("-cp");
      command.add(String.join(java.io.File.pathSeparator, classpath));
      command.add(MAIN_CLASS);

      Path stdout = dir.resolve("logs/stdout.log");
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
          .start();
      Files.writeString(dir.resolve(PID_FILE), Long.toString(process.pid()));
      log.info("Starting Cassandra (pid {}) on {}:{}, data in {}, commitlog_sync {}",
          process.pid(), settings.host(), settings.nativePort(), dir, settings.commitlogSync());
      DevCassandra cassandra = new DevCassandra(settings, process);
      cassandra.awaitCql();
      return cassandra;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the dev Cassandra in " + dir, e);
    }
  }

  public DevCassandraSettings settings() {
    return settings;
  }

  public String contactPoint() {
    return settings.host() + ":" + settings.nativePort();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Kills Cassandra at once (SIGKILL), as a crash would: nothing is flushed, only what its commit
   * log synced survives. For crash tests; {@link #start} on the same settings brings it back.
   */
  public synchronized void kill() {
    log.info("Killing Cassandra (pid {})", process.pid());
    try {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops Cassandra: a polite SIGTERM first, so it flushes; a kill if it does not go. */
  @Override
  public synchronized void close() {
    if (!process.isAlive()) {
      return;
    }
    log.info("Stopping Cassandra (pid {})", process.pid());
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        log.warn("Cassandra did not stop within 30 s; killing it");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(settings.dataDir().toAbsolutePath().resolve(PID_FILE));
    } catch (IOException ignored) {
      // a stale pid file is checked against the live process on the next start
    }
  }

  private void awaitCql() {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new CassandraStartException("Cassandra exited with code " + process.exitValue()
            + " before CQL answered. Last lines of its log:\n" + logTail());
      }
      if (CqlProbe.answers(settings.host(), settings.nativePort(), Duration.ofSeconds(5))) {
        log.info("Cassandra answers CQL on {}:{}", settings.host(), settings.nativePort());
        return;
      }
      sleep(Duration.ofMillis(250));
    }
    close();
    throw new CassandraStartException("Cassandra did not answer CQL within " + settings.startTimeout()
        + ". Last lines of its log:\n" + logTail());
  }

  private String logTail() {
    Path dir = settings.dataDir().toAbsolutePath().resolve("logs");
    StringBuilder tail = new StringBuilder();
    for (String file : List.of("stdout.log", "system.log")) {
      try {
        List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
        tail.append("--- ").append(file).append('\n');
        lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> tail.append(l).append('\n'));
      } catch (IOException ignored) {
        // the log may not exist yet
      }
    }
    return tail.toString();
  }

  private static String commitlogSection(String mode) {
    return switch (mode) {
      case "periodic" -> "commitlog_sync: periodic\ncommitlog_sync_period: 10000ms";
      case "group" -> "commitlog_sync: group\ncommitlog_sync_group_window: 10ms";
      case "batch" -> "commitlog_sync: batch";
      default -> throw new IllegalArgumentException("unknown commitlog_sync " + mode);
    };
  }

  static List<String> serverClasspath() {
    try (InputStream in = DevCassandra.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new CassandraStartException("The Cassandra server classpath resource is missing: build the "
            + "project with Maven first (it resolves org.apache.cassandra:cassandra-all).");
      }
      String recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      List<String> entries = Arrays.stream(recorded.split(java.io.File.pathSeparator))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .collect(Collectors.toList());
      List<String> missing = entries.stream().filter(e -> !Files.isRegularFile(Paths.get(e))).toList();
      if (!missing.isEmpty()) {
        throw new CassandraStartException("Cassandra server jars are missing from the local Maven repository "
            + "(e.g. " + missing.get(0) + "): run the Maven build again to resolve them.");
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path writeTemplate(String resource, Path target, Map<String, String> values) throws IOException {
    try (InputStream in = DevCassandra.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing template " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> value : values.entrySet()) {
        text = text.replace("${" + value.getKey() + "}", value.getValue());
      }
      Files.writeString(target, text, StandardCharsets.UTF_8);
      return target;
    }
  }

  private static void requireFree(String host, int port, String purpose) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException taken) {
      throw new PortInUseException(host, port, purpose);
    }
  }

  /**
   * A Cassandra of ours left running by a JVM that was killed outright would hold the ports and
   * the data directory; stop it if the pid file names a live Cassandra on this same directory.
   */
  private static void stopLeftoverFromEarlierRun(Path dir) {
    Path pidFile = dir.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine()
              .map(cmd -> cmd.contains(MAIN_CLASS) && cmd.contains(dir.toString()))
              .orElse(false));
      if (leftover.isPresent()) {
        log.warn("Stopping a Cassandra (pid {}) left running on {} by an earlier run", pid, dir);
        leftover.get().destroy();
        leftover.get().onExit().get(30, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(pidFile);
    } catch (Exception e) {
      log.warn("Could not check the earlier Cassandra pid file {}: {}", pidFile, e.toString());
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CassandraStartException("interrupted while waiting for Cassandra");
    }
  }

  /** Minimal CQL handshake: OPTIONS → SUPPORTED proves the native transport really serves. */
  static final class CqlProbe {
    private CqlProbe() {}

    static boolean answers(String host, int port, Duration timeout) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        // CQL v4 frame header: version 0x04, flags 0, stream 0, opcode OPTIONS (0x05), length 0.
        socket.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0x05, 0, 0, 0, 0});
        socket.getOutputStream().flush();
        byte[] header = socket.getInputStream().readNBytes(9);
        // Response version 0x84, opcode SUPPORTED (0x06).
        return header.length == 9 && (header[0] & 0xFF) == 0x84 && header[4] == 0x06;
      } catch (IOException notYet) {
        return false;
      }
    }
  }
}
