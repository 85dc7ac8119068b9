package com.quanyi.protocol.reporting;

import java.time.Instant;

/**
 * A code batch in the inventory view: units imported, allocated, given back, and expired before
 * they were sold (so remaining = units − allocated + released − expired, none while frozen). Unit
 * cost in minor units of {@code currency}.
 */
public record BatchReport(String skuId, String batchId, String supplierId, long units, long allocated, long released,
    boolean frozen, long unitCost, String currency, Instant addedAt, long expired) {

  public BatchReport(String skuId, String batchId, String supplierId, long units, long allocated, long released,
      boolean frozen, long unitCost, String currency, Instant addedAt) {
    this(skuId, batchId, supplierId, units, allocated, released, frozen, unitCost, currency, addedAt, 0);
  }

  public long remaining() {
    return units - allocated + released - expired;
  }

  public long available() {
    return frozen ? 0 : remaining();
  }

  public BatchReport moved(long moreAllocated, long moreReleased) {
    return new BatchReport(skuId, batchId, supplierId, units, allocated + moreAllocated, released + moreReleased,
        frozen, unitCost, currency, addedAt, expired);
  }

  public BatchReport frozen(boolean value) {
    return new BatchReport(skuId, batchId, supplierId, units, allocated, released, value, unitCost, currency, addedAt,
        expired);
  }

  /** {@code more} units left the stock expired (never sold, or given back after expiry). */
  public BatchReport expired(long more) {
    return new BatchReport(skuId, batchId, supplierId, units, allocated, released, frozen, unitCost, currency, addedAt,
        expired + more);
  }
}
