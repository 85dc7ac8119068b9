package com.quanyi.persistence.vault;

import java.time.Instant;

/** A decrypted code, for the one delivery that may show it; {@link #toString()} masks it. */
public record RevealedCode(String batchId, long position, String code, Instant expiresAt) {

  /** {@code ****} plus the last four characters: what admin views and logs may show. */
  public String masked() {
    return mask(code);
  }

  public static String mask(String code) {
    return "****" + (code.length() <= 4 ? "" : code.substring(code.length() - 4));
  }

  @Override
  public String toString() {
    return "RevealedCode[batchId=" + batchId + ", position=" + position + ", code=" + masked() + "]";
  }
}
