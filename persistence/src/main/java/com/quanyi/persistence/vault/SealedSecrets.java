package com.quanyi.persistence.vault;

import java.nio.ByteBuffer;

/**
 * Seals API secrets (a channel's or a verifier's, to verify its signatures; a supplier's, to sign requests to it)
 * under the vault's current master key (AES-256-GCM, bound to the purpose, the owner's id and the
 * key id), so the journal and snapshots never hold a secret in the clear.
 */
public final class SealedSecrets {

  private final VaultKeys keys;
  private final String purpose;

  private SealedSecrets(VaultKeys keys, String purpose) {
    this.keys = keys;
    this.purpose = purpose;
  }

  public static SealedSecrets forChannels(VaultKeys keys) {
    return new SealedSecrets(keys, "channel-secret");
  }

  public static SealedSecrets forVerifiers(VaultKeys keys) {
    return new SealedSecrets(keys, "verifier-secret");
  }

  public static SealedSecrets forSuppliers(VaultKeys keys) {
    return new SealedSecrets(keys, "supplier-secret");
  }

  public String currentMasterKeyId() {
    return keys.currentMasterKeyId();
  }

  public byte[] seal(String ownerId, String secret) {
    CodeCrypto.Sealed sealed = CodeCrypto.encryptCode(keys.currentMasterKey(), secret, purpose, ownerId, 0);
    return ByteBuffer.allocate(CodeCrypto.NONCE_BYTES + sealed.ciphertext().length)
        .put(sealed.nonce()).put(sealed.ciphertext()).array();
  }

  public String open(String ownerId, String masterKeyId, byte[] sealedSecret) {
    ByteBuffer buffer = ByteBuffer.wrap(sealedSecret);
    byte[] nonce = new byte[CodeCrypto.NONCE_BYTES];
    buffer.get(nonce);
    byte[] ciphertext = new byte[buffer.remaining()];
    buffer.get(ciphertext);
    return CodeCrypto.decryptCode(keys.masterKey(masterKeyId), new CodeCrypto.Sealed(nonce, ciphertext),
        purpose, ownerId, 0);
  }
}
