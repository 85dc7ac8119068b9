package com.quanyi.persistence.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CodeCryptoTest {

  private final SecretKey dataKey = new SecretKeySpec(VaultKeys.randomKey(), "AES");
  private final SecretKey masterKey = new SecretKeySpec(VaultKeys.randomKey(), "AES");

  @Test
  void aCodeRoundTripsOnlyAtItsOwnSkuBatchAndPosition() {
    CodeCrypto.Sealed sealed = CodeCrypto.encryptCode(dataKey, "STEAM-ABCD-EFGH-1234", "steam-100", "b1", 7);
    assertEquals("STEAM-ABCD-EFGH-1234", CodeCrypto.decryptCode(dataKey, sealed, "steam-100", "b1", 7));
    assertFalse(new String(sealed.ciphertext()).contains("STEAM"));

    assertThrows(VaultException.class, () -> CodeCrypto.decryptCode(dataKey, sealed, "steam-100", "b1", 8));
    assertThrows(VaultException.class, () -> CodeCrypto.decryptCode(dataKey, sealed, "steam-100", "b2", 7));
    assertThrows(VaultException.class, () -> CodeCrypto.decryptCode(dataKey, sealed, "steam-200", "b1", 7));
    SecretKey otherKey = new SecretKeySpec(VaultKeys.randomKey(), "AES");
    assertThrows(VaultException.class, () -> CodeCrypto.decryptCode(otherKey, sealed, "steam-100", "b1", 7));
  }

  @Test
  void tamperedCiphertextOrNonceIsRejected() {
    CodeCrypto.Sealed sealed = CodeCrypto.encryptCode(dataKey, "CODE-1", "s", "b", 0);
    byte[] flipped = Arrays.copyOf(sealed.ciphertext(), sealed.ciphertext().length);
    flipped[0] ^= 1;
    assertThrows(VaultException.class, () -> CodeCrypto.decryptCode(dataKey, new CodeCrypto.Sealed(sealed.nonce(), flipped), "s", "b", 0));
    byte[] nonce = Arrays.copyOf(sealed.nonce(), sealed.nonce().length);
    nonce[11] ^= 1;
    assertThrows(VaultException.class, () -> CodeCrypto.decryptCode(dataKey, new CodeCrypto.Sealed(nonce, sealed.ciphertext()), "s", "b", 0));
    VaultException error = assertThrows(VaultException.class,
        () -> CodeCrypto.decryptCode(dataKey, new CodeCrypto.Sealed(sealed.nonce(), flipped), "s", "b", 0));
    assertFalse(error.getMessage().contains("CODE-1"));
  }

  @Test
  void encryptingTheSameCodeTwiceGivesDifferentCiphertexts() {
    CodeCrypto.Sealed a = CodeCrypto.encryptCode(dataKey, "SAME", "s", "b", 0);
    CodeCrypto.Sealed b = CodeCrypto.encryptCode(dataKey, "SAME", "s", "b", 0);
    assertFalse(Arrays.equals(a.nonce(), b.nonce()));
    assertFalse(Arrays.equals(a.ciphertext(), b.ciphertext()));
  }

  @Test
  void aDataKeyUnwrapsOnlyForItsBatchAndMasterKeyId() {
    byte[] key = VaultKeys.randomKey();
    byte[] wrapped = CodeCrypto.wrapDataKey(masterKey, "k1", key, "s", "b");
    assertArrayEquals(key, CodeCrypto.unwrapDataKey(masterKey, "k1", wrapped, "s", "b").getEncoded());
    assertThrows(VaultException.class, () -> CodeCrypto.unwrapDataKey(masterKey, "k2", wrapped, "s", "b"));
    assertThrows(VaultException.class, () -> CodeCrypto.unwrapDataKey(masterKey, "k1", wrapped, "s", "other"));
    SecretKey wrongMaster = new SecretKeySpec(VaultKeys.randomKey(), "AES");
    assertThrows(VaultException.class, () -> CodeCrypto.unwrapDataKey(wrongMaster, "k1", wrapped, "s", "b"));
  }

  @Test
  void fingerprintsAreKeyedAndIgnoreCaseSpacesAndHyphens() {
    SecretKey fpKey = new SecretKeySpec(VaultKeys.randomKey(), "HmacSHA256");
    byte[] a = CodeCrypto.fingerprint(fpKey, "abcd-1234-efgh");
    assertArrayEquals(a, CodeCrypto.fingerprint(fpKey, " ABCD 1234 EFGH "));
    assertFalse(Arrays.equals(a, CodeCrypto.fingerprint(fpKey, "ABCD-1234-EFGI")));
    SecretKey otherKey = new SecretKeySpec(VaultKeys.randomKey(), "HmacSHA256");
    assertFalse(Arrays.equals(a, CodeCrypto.fingerprint(otherKey, "abcd-1234-efgh")),
        "without the key, a fingerprint cannot be checked against guessed codes");
    assertEquals(32, a.length);
    assertFalse(HexFormat.of().formatHex(a).isEmpty());
  }

  @Test
  void keysNeverShowInToString() {
    VaultKeys keys = new VaultKeys(java.util.Map.of("k1", VaultKeys.randomKey()), "k1", VaultKeys.randomKey());
    assertEquals("VaultKeys[masterKeyIds=[k1], current=k1]", keys.toString());
    RevealedCode code = new RevealedCode("b", 1, "SECRET-CODE-9876", null);
    assertFalse(code.toString().contains("SECRET"));
    assertEquals("****9876", code.masked());
  }
}
