package com.quanyi.persistence.reporting;

import java.time.Instant;

/**
 * What one order has contributed to the reports, as of its event {@code seq}. {@code supplierId}:
 * the supplier its top-up was last sent to; {@code pendingCost}: what that supplier charges should
 * an operator decide an undecided top-up was delivered. Minor units of {@code currency}.
 */
public record OrderFactRow(String orderId, long seq, String channelId, String skuId, String clientOrderNo,
    int quantity, String status, Instant statusAt, long amount, long cost, String currency, Instant createdAt,
    String supplierId, long pendingCost) {}
