package com.quanyi.persistence.vault;

import java.nio.ByteBuffer;

/**
 * Seals channel API secrets under the vault's current master key (AES-256-GCM, bound to the
 * channel id and key id), so the journal and snapshots never hold a secret in the clear, and opens
 * them to verify request signatures.
 */
public final class ChannelSecrets {

  private final VaultKeys keys;

  public ChannelSecrets(VaultKeys keys) {
    this.keys = keys;
  }

  public String currentMasterKeyId() {
    return keys.currentMasterKeyId();
  }

  public byte[] seal(String channelId, String secret) {
    CodeCrypto.Sealed sealed = CodeCrypto.encryptCode(keys.currentMasterKey(), secret, "channel-secret", channelId, 0);
    return ByteBuffer.allocate(CodeCrypto.NONCE_BYTES + sealed.ciphertext().length)
        .put(sealed.nonce()).put(sealed.ciphertext()).array();
  }

  public String open(String channelId, String masterKeyId, byte[] sealedSecret) {
    ByteBuffer buffer = ByteBuffer.wrap(sealedSecret);
    byte[] nonce = new byte[CodeCrypto.NONCE_BYTES];
    buffer.get(nonce);
    byte[] ciphertext = new byte[buffer.remaining()];
    buffer.get(ciphertext);
    return CodeCrypto.decryptCode(keys.masterKey(masterKeyId), new CodeCrypto.Sealed(nonce, ciphertext),
        "channel-secret", channelId, 0);
  }
}
