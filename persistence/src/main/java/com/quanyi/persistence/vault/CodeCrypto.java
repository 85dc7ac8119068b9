package com.quanyi.persistence.vault;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's cryptography, in one place:
 * <ul>
 *   <li>each code: AES-256-GCM under its batch's data key, a random 96-bit nonce, and associated
 *       data naming its SKU, batch and position, so a ciphertext copied to another row fails;</li>
 *   <li>each batch's data key: AES-256-GCM under a master key, bound to SKU, batch and key id;</li>
 *   <li>fingerprints: HMAC-SHA256 of the normalised code under a separate key.</li>
 * </ul>
 */
public final class CodeCrypto {

  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private CodeCrypto() {}

  public record Sealed(byte[] nonce, byte[] ciphertext) {}

  public static Sealed encryptCode(SecretKey dataKey, String code, String skuId, String batchId, long position) {
    return seal(dataKey, code.getBytes(StandardCharsets.UTF_8), codeAad(skuId, batchId, position));
  }

  public static String decryptCode(SecretKey dataKey, Sealed sealed, String skuId, String batchId, long position) {
    return new String(open(dataKey, sealed, codeAad(skuId, batchId, position)), StandardCharsets.UTF_8);
  }

  static byte[] wrapDataKey(SecretKey masterKey, String masterKeyId, byte[] dataKey, String skuId, String batchId) {
    Sealed sealed = seal(masterKey, dataKey, dekAad(masterKeyId, skuId, batchId));
    return ByteBuffer.allocate(NONCE_BYTES + sealed.ciphertext().length).put(sealed.nonce()).put(sealed.ciphertext()).array();
  }

  static SecretKey unwrapDataKey(SecretKey masterKey, String masterKeyId, byte[] wrapped, String skuId, String batchId) {
    ByteBuffer buffer = ByteBuffer.wrap(wrapped);
    byte[] nonce = new byte[NONCE_BYTES];
    buffer.get(nonce);
    byte[] ciphertext = new byte[buffer.remaining()];
    buffer.get(ciphertext);
    return new SecretKeySpec(open(masterKey, new Sealed(nonce, ciphertext), dekAad(masterKeyId, skuId, batchId)), "AES");
  }

  /** HMAC-SHA256 of the normalised code: uniqueness checks without decrypting anything. */
  public static byte[] fingerprint(SecretKey fingerprintKey, String code) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(fingerprintKey);
      return mac.doFinal(normalise(code).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new VaultException("HMAC-SHA256 is unavailable", e);
    }
  }

  /**
   * Codes that differ only in case, spaces or hyphens are the same code to a redeemer, so they are
   * the same code to the vault.
   */
  static String normalise(String code) {
    StringBuilder out = new StringBuilder(code.length());
    code.codePoints()
        .filter(c -> !Character.isWhitespace(c) && c != '-')
        .map(Character::toUpperCase)
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  private static byte[] codeAad(String skuId, String batchId, long position) {
    return ("quanyi-code/v1|" + skuId + "|" + batchId + "|" + position).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] dekAad(String masterKeyId, String skuId, String batchId) {
    return ("quanyi-dek/v1|" + masterKeyId + "|" + skuId + "|" + batchId).getBytes(StandardCharsets.UTF_8);
  }

  private static Sealed seal(SecretKey key, byte[] plaintext, byte[] aad) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      return new Sealed(nonce, cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new VaultException("encryption failed", e);
    }
  }

  private static byte[] open(SecretKey key, Sealed sealed, byte[] aad) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(aad);
      return cipher.doFinal(sealed.ciphertext());
    } catch (AEADBadTagException e) {
      throw new VaultException("ciphertext failed authentication: tampered, moved, or the wrong key");
    } catch (GeneralSecurityException e) {
      throw new VaultException("decryption failed", e);
    }
  }
}
