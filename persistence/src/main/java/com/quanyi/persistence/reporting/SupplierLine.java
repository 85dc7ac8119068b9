package com.quanyi.persistence.reporting;

import com.quanyi.protocol.reporting.SupplierDayRow;

/**
 * What one order event adds to a supplier's day of top-ups ({@code row}), stored under the order and
 * the event's sequence number, as {@link SalesLine} for the sales ledger.
 */
public record SupplierLine(SupplierDayRow row, String orderId, long seq) {}
