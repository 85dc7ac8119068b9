package com.quanyi.protocol.inventory;

/** Whether channels can see and order a SKU. */
public enum SkuStatus {
  LISTED,
  UNLISTED
}
