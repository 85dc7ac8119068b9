package com.quanyi.protocol.order;

/** Where an order stands (API.md). */
public enum OrderStatus {
  PROCESSING,
  DELIVERED,
  FAILED,
  REVIEW,
  /** Delivered, then an operator refunded the charge (the codes or top-up stay delivered). */
  REFUNDED
}
