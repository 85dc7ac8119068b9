package com.quanyi.protocol.inventory;

/**
 * How a SKU is fulfilled: a code from the vault, a top-up pushed through a supplier, or a benefit
 * bundle (权益包) made of other SKUs' codes, allocated together.
 */
public enum SkuKind {
  CARD_CODE,
  DIRECT_TOPUP,
  BUNDLE
}
