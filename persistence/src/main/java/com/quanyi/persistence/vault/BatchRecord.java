package com.quanyi.persistence.vault;

import java.time.Instant;

/** A code batch as the vault stores it (never its key in the clear, never a code). */
public record BatchRecord(
    String skuId,
    String batchId,
    BatchStatus status,
    String masterKeyId,
    String supplierId,
    long unitCost,
    String currency,
    long accepted,
    long duplicates,
    long invalid,
    String createdBy,
    Instant createdAt,
    Instant heartbeat) {

  public enum BatchStatus {
    /** Codes are being written; not allocatable. */
    IMPORTING,
    /** All codes written and handed to the inventory. */
    COMPLETE,
    /** The import stopped; its fingerprints may be claimed again. */
    FAILED
  }

  /** Whether the fingerprints this batch claimed are free for another import to take. */
  public boolean isAbandoned(Instant now, java.time.Duration staleAfter) {
    return status == BatchStatus.FAILED
        || (status == BatchStatus.IMPORTING && heartbeat != null && heartbeat.plus(staleAfter).isBefore(now));
  }
}
