package com.quanyi.persistence.reporting;

import com.quanyi.protocol.reporting.BatchReport;
import java.time.Instant;
import java.util.List;

/**
 * A SKU in the inventory view, as of its event {@code seq}: its batches, its low-stock threshold,
 * and since when its available stock has been below it (null: not low).
 */
public record SkuReport(String skuId, long seq, String name, String kind, long threshold, Instant lowSince,
    Instant updatedAt, List<BatchReport> batches) {

  public long available() {
    return batches.stream().mapToLong(BatchReport::available).sum();
  }

  /** Units handed to orders and not given back. */
  public long allocated() {
    return batches.stream().mapToLong(b -> b.allocated() - b.released()).sum();
  }

  public long frozen() {
    return batches.stream().filter(BatchReport::frozen).mapToLong(BatchReport::remaining).sum();
  }
}
