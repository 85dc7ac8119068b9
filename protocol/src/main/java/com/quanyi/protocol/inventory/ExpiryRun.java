package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.Objects;

/**
 * Consecutive vault positions {@code [from, from + count)} of one batch whose codes expire at
 * {@code expiresAt}: how the inventory knows expiry without knowing any code.
 */
public record ExpiryRun(long from, long count, Instant expiresAt) implements CborSerializable {
  public ExpiryRun {
    if (from < 0 || count < 1) {
      throw new IllegalArgumentException("an expiry run starts at 0 or later and holds at least one position");
    }
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public long to() {
    return from + count;
  }
}
