package com.quanyi.protocol.order;

/** Where an order stands (API.md). */
public enum OrderStatus {
  PROCESSING,
  DELIVERED,
  /**
   * A bundle whose card parts were delivered and whose top-up part failed: that part's share of
   * the charge was refunded ({@code refunded}); the codes stay delivered and redeemable.
   */
  PARTLY_DELIVERED,
  FAILED,
  REVIEW,
  /** Delivered, then an operator refunded the charge (the codes or top-up stay delivered). */
  REFUNDED
}
