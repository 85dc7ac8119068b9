package com.quanyi.persistence.devcassandra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the development Cassandra runs.
 *
 * @param commitlogSync {@code periodic} acknowledges writes before fsync (up to the period);
 *     {@code group} and {@code batch} wait for fsync. Benchmarks must say which they used.
 */
public record DevCassandraSettings(
    Path dataDir,
    String host,
    int nativePort,
    int storagePort,
    int heapMb,
    String commitlogSync,
    Duration startTimeout) {

  public DevCassandraSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    requirePort("nativePort", nativePort);
    requirePort("storagePort", storagePort);
    if (nativePort == storagePort) {
      throw new IllegalArgumentException("nativePort and storagePort must differ");
    }
    if (heapMb < 256) {
      throw new IllegalArgumentException("heapMb must be at least 256");
    }
    commitlogSync = commitlogSync.toLowerCase(Locale.ROOT);
    if (!commitlogSync.equals("periodic") && !commitlogSync.equals("group") && !commitlogSync.equals("batch")) {
      throw new IllegalArgumentException("commitlogSync must be periodic, group or batch");
    }
    Objects.requireNonNull(startTimeout, "startTimeout");
  }

  public static DevCassandraSettings defaults(Path dataDir) {
    return new DevCassandraSettings(dataDir, "127.0.0.1", 9042, 7000, 1024, "batch", Duration.ofSeconds(120));
  }

  public DevCassandraSettings withPorts(int nativePort, int storagePort) {
    return new DevCassandraSettings(dataDir, host, nativePort, storagePort, heapMb, commitlogSync, startTimeout);
  }

  private static void requirePort(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be a TCP port (1-65535)");
    }
  }
}
