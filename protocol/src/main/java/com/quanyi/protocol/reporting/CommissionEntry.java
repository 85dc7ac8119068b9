package com.quanyi.protocol.reporting;

import java.time.Instant;

/**
 * One line of a channel's commission account: an ACCRUAL when an order of a channel below it was
 * delivered, a REVERSAL when that order was refunded. {@code level}: how far below (1: a direct
 * sub-channel). Minor units of {@code currency}.
 */
public record CommissionEntry(String channelId, Instant at, String orderId, String kind, int level,
    String buyerChannelId, String skuId, long amount, String currency, long ruleVersion) {

  public static final String ACCRUAL = "ACCRUAL";
  public static final String REVERSAL = "REVERSAL";
}
