package com.quanyi.persistence.reporting;

import java.util.Map;

/**
 * An order as settlement sees it, as of its event {@code seq}: who bought what for how much, and
 * what its delivery accrued to each ancestor channel (empty until delivered; {@code reversed} once
 * refunded). Minor units of {@code currency}.
 */
public record SettlementOrder(String orderId, long seq, String channelId, String skuId, long amount, int quantity,
    String currency, Map<String, Long> accrued, boolean reversed) {}
