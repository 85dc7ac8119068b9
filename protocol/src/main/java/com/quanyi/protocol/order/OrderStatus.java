package com.quanyi.protocol.order;

/** Where an order stands (API.md). */
public enum OrderStatus {
  PROCESSING,
  DELIVERED,
  FAILED,
  REVIEW
}
