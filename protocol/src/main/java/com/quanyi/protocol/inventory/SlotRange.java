package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;

/**
 * Consecutive vault positions {@code [from, from + count)} of one code batch. Allocations are
 * expressed as ranges so that events stay small whatever the quantity.
 */
public record SlotRange(String batchId, long from, int count) implements CborSerializable {
  public SlotRange {
    if (from < 0 || count < 1) {
      throw new IllegalArgumentException("a slot range starts at 0 or later and holds at least one position");
    }
  }

  public long to() {
    return from + count;
  }
}
