package com.quanyi.persistence.vault;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's long-lived keys: master keys (key-encryption keys) by id, the id of the one that
 * wraps new batch keys, and the separate fingerprint key. {@link #toString()} never shows a key.
 */
public final class VaultKeys {

  public static final int KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKey> masterKeys;
  private final String currentMasterKeyId;
  private final SecretKey fingerprintKey;

  public VaultKeys(Map<String, byte[]> masterKeys, String currentMasterKeyId, byte[] fingerprintKey) {
    if (masterKeys.isEmpty()) {
      throw new IllegalArgumentException("the vault needs at least one master key");
    }
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    masterKeys.forEach((id, bytes) -> {
      if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
        throw new IllegalArgumentException("master key ids are 1-32 characters of A-Z, a-z, 0-9, '_', '-'");
      }
      keys.put(id, aesKey(bytes, "master key " + id));
    });
    if (!keys.containsKey(currentMasterKeyId)) {
      throw new IllegalArgumentException("the current master key id is not among the master keys");
    }
    this.masterKeys = Map.copyOf(keys);
    this.currentMasterKeyId = currentMasterKeyId;
    this.fingerprintKey = new SecretKeySpec(requireLength(fingerprintKey, "fingerprint key"), "HmacSHA256");
  }

  public static byte[] randomKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  public String currentMasterKeyId() {
    return currentMasterKeyId;
  }

  SecretKey currentMasterKey() {
    return masterKeys.get(currentMasterKeyId);
  }

  SecretKey masterKey(String id) {
    SecretKey key = masterKeys.get(id);
    if (key == null) {
      throw new VaultException("master key " + id + " is not configured; it is needed to unwrap a batch key");
    }
    return key;
  }

  SecretKey fingerprintKey() {
    return fingerprintKey;
  }

  static byte[] decodeBase64Key(String encoded, String what) {
    try {
      return requireLength(Base64.getDecoder().decode(encoded.trim()), what);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes, base64-encoded");
    }
  }

  private static SecretKey aesKey(byte[] bytes, String what) {
    return new SecretKeySpec(requireLength(bytes, what), "AES");
  }

  private static byte[] requireLength(byte[] key, String what) {
    Objects.requireNonNull(key, what);
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes (AES-256)");
    }
    return Arrays.copyOf(key, key.length);
  }

  @Override
  public String toString() {
    return "VaultKeys[masterKeyIds=" + masterKeys.keySet() + ", current=" + currentMasterKeyId + "]";
  }
}
