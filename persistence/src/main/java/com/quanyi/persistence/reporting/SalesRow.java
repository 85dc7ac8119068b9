package com.quanyi.persistence.reporting;

import java.time.LocalDate;

/**
 * One line of the sales ledger: a day × SKU × channel (or a coarser group, where a report sums
 * lines; a field summed away is null). Orders and revenue count orders charged that day; units and
 * cost count units delivered that day; refunds count charges refunded that day. Minor units.
 */
public record SalesRow(LocalDate day, String skuId, String channelId, long orders, long units, long revenue,
    long cost, long refunds, long refundedOrders, String currency) {

  /** Revenue kept after refunds, less what the delivered units cost. */
  public long margin() {
    return revenue - refunds - cost;
  }

  public SalesRow plus(SalesRow other) {
    return new SalesRow(day, skuId, channelId, orders + other.orders, units + other.units, revenue + other.revenue,
        cost + other.cost, refunds + other.refunds, refundedOrders + other.refundedOrders,
        currency != null ? currency : other.currency);
  }

  /** The same numbers under another group key. */
  public SalesRow as(LocalDate groupDay, String groupSku, String groupChannel) {
    return new SalesRow(groupDay, groupSku, groupChannel, orders, units, revenue, cost, refunds, refundedOrders,
        currency);
  }
}
