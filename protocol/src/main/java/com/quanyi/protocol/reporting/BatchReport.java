package com.quanyi.protocol.reporting;

import java.time.Instant;

/**
 * A code batch in the inventory view: units imported, allocated and given back (so remaining =
 * units − allocated + released, none while frozen). Unit cost in minor units of {@code currency}.
 */
public record BatchReport(String skuId, String batchId, String supplierId, long units, long allocated, long released,
    boolean frozen, long unitCost, String currency, Instant addedAt) {

  public long remaining() {
    return units - allocated + released;
  }

  public long available() {
    return frozen ? 0 : remaining();
  }

  public BatchReport moved(long moreAllocated, long moreReleased) {
    return new BatchReport(skuId, batchId, supplierId, units, allocated + moreAllocated, released + moreReleased,
        frozen, unitCost, currency, addedAt);
  }

  public BatchReport frozen(boolean value) {
    return new BatchReport(skuId, batchId, supplierId, units, allocated, released, value, unitCost, currency, addedAt);
  }
}
