package com.quanyi.protocol.order;

/** Where an order stands (API.md). */
public enum OrderStatus {
  PROCESSING,
  DELIVERED,
  FAILED,
  REVIEW,
  /** Delivered, then an operator gave the charge back (the codes or top-up stay delivered). */
  REFUNDED
}
