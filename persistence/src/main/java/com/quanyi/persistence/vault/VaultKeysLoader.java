package com.quanyi.persistence.vault;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the vault keys from {@code quanyi.vault}: environment variables (the production way, fed
 * by a secret store) or a key file. The embedded default generates a key file on first start,
 * with a loud warning: keys next to the data they protect are for trying the platform only.
 *
 * <p>Key file format (Java properties): {@code current=<id>}, {@code master.<id>=<base64>} for
 * each master key, {@code fingerprint=<base64>}.
 */
public final class VaultKeysLoader {

  private static final Logger log = LoggerFactory.getLogger(VaultKeysLoader.class);

  private VaultKeysLoader() {}

  public static VaultKeys load(Config config) {
    Config c = config.getConfig("quanyi.vault");
    String masterKeys = c.getString("master-keys");
    if (!masterKeys.isBlank()) {
      return fromSettings(masterKeys, c.getString("current-master-key"), c.getString("fingerprint-key"));
    }
    Path file = Paths.get(c.getString("key-file"));
    if (!Files.exists(file)) {
      if (!c.getBoolean("generate-key-file")) {
        throw new VaultException("no vault keys: set QUANYI_VAULT_MASTER_KEYS, QUANYI_VAULT_CURRENT_MASTER_KEY and "
            + "QUANYI_VAULT_FINGERPRINT_KEY, or provide the key file " + file.toAbsolutePath());
      }
      generate(file);
    }
    return fromFile(file);
  }

  static VaultKeys fromSettings(String masterKeys, String current, String fingerprint) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String entry : masterKeys.split(",")) {
      String[] idAndKey = entry.trim().split(":", 2);
      if (idAndKey.length != 2) {
        throw new IllegalArgumentException("master keys are listed as id:base64key, comma separated");
      }
      keys.put(idAndKey[0].trim(), VaultKeys.decodeBase64Key(idAndKey[1], "master key " + idAndKey[0].trim()));
    }
    String currentId = current.isBlank() && keys.size() == 1 ? keys.keySet().iterator().next() : current.trim();
    if (fingerprint.isBlank()) {
      throw new IllegalArgumentException("the fingerprint key (QUANYI_VAULT_FINGERPRINT_KEY) is required");
    }
    return new VaultKeys(keys, currentId, VaultKeys.decodeBase64Key(fingerprint, "fingerprint key"));
  }

  public static VaultKeys fromFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the vault key file " + file, e);
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("master.")) {
        String id = name.substring("master.".length());
        keys.put(id, VaultKeys.decodeBase64Key(properties.getProperty(name), "master key " + id));
      }
    }
    String fingerprint = properties.getProperty("fingerprint", "");
    if (fingerprint.isBlank()) {
      throw new IllegalArgumentException("the vault key file has no fingerprint key");
    }
    return new VaultKeys(keys, properties.getProperty("current", "").trim(),
        VaultKeys.decodeBase64Key(fingerprint, "fingerprint key"));
  }

  /** Writes a new key file readable by its owner only. */
  public static void generate(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Base64.Encoder base64 = Base64.getEncoder();
      String text = "# Quanyi vault keys, generated for development. Never use these in production.\n"
          + "current=dev1\n"
          + "master.dev1=" + base64.encodeToString(VaultKeys.randomKey()) + "\n"
          + "fingerprint=" + base64.encodeToString(VaultKeys.randomKey()) + "\n";
      Files.createFile(file);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // permissions are best effort off POSIX file systems
      }
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        writer.write(text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the vault key file " + file, e);
    }
    log.warn("==================================================================================");
    log.warn("GENERATED VAULT KEYS in {}: codes are encrypted with keys kept beside the data.", file.toAbsolutePath());
    log.warn("Fine for trying Quanyi out; in production supply QUANYI_VAULT_* keys from a secret store.");
    log.warn("==================================================================================");
  }
}
