package com.quanyi.persistence.reporting;

/**
 * What one order event adds to the sales ledger ({@code row}, a day × SKU × channel), stored under
 * the order and the event's sequence number: writing it again changes nothing, and no write reads
 * another's total first. The ledger is the sum of its lines.
 */
public record SalesLine(SalesRow row, String orderId, long seq) {}
