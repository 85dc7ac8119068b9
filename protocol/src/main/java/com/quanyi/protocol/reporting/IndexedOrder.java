package com.quanyi.protocol.reporting;

import java.time.Instant;

/** An order as the operators' order index lists it. Amount in minor units of {@code currency}. */
public record IndexedOrder(String orderId, String channelId, String clientOrderNo, String skuId, int quantity,
    String status, long amount, String currency, Instant createdAt, Instant statusAt) {}
