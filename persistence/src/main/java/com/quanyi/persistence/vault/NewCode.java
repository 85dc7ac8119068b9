package com.quanyi.persistence.vault;

import java.time.Instant;

/** A code accepted by an import, at its position in the batch. Its plaintext never leaves the vault package's writes. */
public record NewCode(long position, String code, Instant expiresAt, byte[] fingerprint) {
  @Override
  public String toString() {
    return "NewCode[position=" + position + "]";
  }
}
