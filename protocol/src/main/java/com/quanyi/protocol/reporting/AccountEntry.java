package com.quanyi.protocol.reporting;

import java.time.Instant;

/**
 * One line of a channel's account statement: a DEPOSIT, DEBIT or REFUND, and the balance after
 * it. {@code reference}: the deposit's reference or the order id. Minor units of {@code currency}.
 */
public record AccountEntry(String channelId, long seq, int idx, Instant at, String kind, String reference,
    String skuId, int units, long amount, long balance, String currency) {}
