package com.quanyi.protocol.inventory;

/** How a SKU is fulfilled: a code from the vault, or a top-up pushed through a supplier. */
public enum SkuKind {
  CARD_CODE,
  DIRECT_TOPUP
}
