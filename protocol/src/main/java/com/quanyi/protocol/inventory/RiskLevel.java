package com.quanyi.protocol.inventory;

/** How strictly risk control treats orders for a SKU: a high-value gift card is HIGH. */
public enum RiskLevel {
  LOW,
  MEDIUM,
  HIGH
}
