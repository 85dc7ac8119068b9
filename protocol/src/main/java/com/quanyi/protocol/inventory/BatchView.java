package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import java.time.Instant;

/**
 * One code batch as the inventory knows it: sizes and counts, never codes. {@code expired}: codes
 * that reached their expiry before they were handed out, which no order will get.
 */
public record BatchView(
    String batchId,
    long accepted,
    long available,
    long allocated,
    boolean frozen,
    String supplierId,
    Money unitCost,
    Instant addedAt,
    long expired) implements CborSerializable {}
