package com.quanyi.persistence.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultKeysLoaderTest {

  private static String key() {
    return Base64.getEncoder().encodeToString(VaultKeys.randomKey());
  }

  private static com.typesafe.config.Config config(String masterKeys, String current, String fingerprint, Path file,
      boolean generate) {
    return ConfigFactory.parseMap(java.util.Map.of(
        "quanyi.vault.master-keys", masterKeys,
        "quanyi.vault.current-master-key", current,
        "quanyi.vault.fingerprint-key", fingerprint,
        "quanyi.vault.key-file", file.toString(),
        "quanyi.vault.generate-key-file", generate));
  }

  @Test
  void generatesAnOwnerOnlyKeyFileOnceAndLoadsItAgain(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys/vault.keys");
    VaultKeys first = VaultKeysLoader.load(config("", "", "", file, true));
    assertTrue(Files.exists(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    VaultKeys again = VaultKeysLoader.load(config("", "", "", file, true));
    assertEquals(first.currentMasterKeyId(), again.currentMasterKeyId());
    assertEquals(first.fingerprintKey(), again.fingerprintKey());
  }

  @Test
  void refusesToStartWithoutKeysWhenGeneratingIsOff(@TempDir Path dir) {
    VaultException error = assertThrows(VaultException.class,
        () -> VaultKeysLoader.load(config("", "", "", dir.resolve("missing.keys"), false)));
    assertTrue(error.getMessage().contains("QUANYI_VAULT_MASTER_KEYS"));
  }

  @Test
  void readsSeveralMasterKeysFromSettings(@TempDir Path dir) {
    VaultKeys keys = VaultKeysLoader.load(config("old:" + key() + ", new:" + key(), "new", key(), dir.resolve("x"), false));
    assertEquals("new", keys.currentMasterKeyId());
    keys.masterKey("old");
    assertThrows(IllegalArgumentException.class,
        () -> VaultKeysLoader.load(config("k1:" + key(), "k2", key(), dir.resolve("x"), false)));
    assertThrows(IllegalArgumentException.class,
        () -> VaultKeysLoader.load(config("k1:c2hvcnQ=", "k1", key(), dir.resolve("x"), false)));
    assertThrows(IllegalArgumentException.class,
        () -> VaultKeysLoader.load(config("k1:" + key(), "k1", "", dir.resolve("x"), false)));
  }
}
