package com.quanyi.node;

import com.quanyi.persistence.devcassandra.DevCassandraSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a profile ({@code quanyi-<profile>.conf} from cluster-config) with, from highest to
 * lowest: system properties, explicit overrides, environment variables that HOCON cannot turn into
 * lists itself, the profile, reference.conf.
 */
public final class NodeConfig {

  private NodeConfig() {}

  public static String profile() {
    String fromProperty = System.getProperty("quanyi.profile");
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty;
    }
    String fromEnv = System.getenv("QUANYI_PROFILE");
    return fromEnv == null || fromEnv.isBlank() ? "local" : fromEnv;
  }

  /** The node's configuration for {@link #profile()}, from the environment of this process. */
  public static Config load(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>(fromEnvironment(System.getenv()));
    all.putAll(overrides);
    return load(profile(), all);
  }

  public static Config load(String profile, Map<String, Object> overrides) {
    String resource = "quanyi-" + profile + ".conf";
    if (NodeConfig.class.getClassLoader().getResource(resource) == null) {
      throw new IllegalArgumentException("unknown profile '" + profile + "': expected local, cluster or test");
    }
    Config profileConfig = ConfigFactory.parseResources(resource);
    return ConfigFactory.load(ConfigFactory.parseMap(overrides).withFallback(profileConfig)
        .withFallback(RenamedProtocols.migrations()));
  }

  static Map<String, Object> fromEnvironment(Map<String, String> env) {
    Map<String, Object> overrides = new HashMap<>();
    String contactPoints = env.get("QUANYI_CASSANDRA_CONTACT_POINTS");
    if (contactPoints != null && !contactPoints.isBlank()) {
      overrides.put("quanyi.cassandra.contact-points", commaList(contactPoints));
    }
    String seeds = env.get("QUANYI_SEED_NODES");
    if (seeds != null && !seeds.isBlank()) {
      overrides.put("pekko.cluster.seed-nodes", commaList(seeds));
    }
    return overrides;
  }

  public static DevCassandraSettings embeddedCassandra(Config config) {
    Config c = config.getConfig("quanyi.cassandra.embedded");
    return new DevCassandraSettings(
        Paths.get(c.getString("data-dir")),
        "127.0.0.1",
        c.getInt("port"),
        c.getInt("storage-port"),
        c.getInt("heap-mb"),
        c.getString("commitlog-sync"),
        c.getDuration("start-timeout"));
  }

  private static List<String> commaList(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
