package com.quanyi.protocol.channel;

import com.quanyi.protocol.CborSerializable;

/**
 * A channel's API key and its secret sealed (AES-256-GCM) by the vault master key
 * {@code masterKeyId}: the journal never holds the secret in the clear.
 */
public record ChannelCredentials(String apiKey, String masterKeyId, byte[] sealedSecret) implements CborSerializable {

  @Override
  public boolean equals(Object other) {
    return other instanceof ChannelCredentials c && apiKey.equals(c.apiKey) && masterKeyId.equals(c.masterKeyId)
        && java.util.Arrays.equals(sealedSecret, c.sealedSecret);
  }

  @Override
  public int hashCode() {
    return apiKey.hashCode();
  }

  @Override
  public String toString() {
    return "ChannelCredentials[apiKey=" + apiKey + "]";
  }
}
