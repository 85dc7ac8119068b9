package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;

/**
 * One part of a benefit bundle: {@code quantity} units of another SKU in every bundle sold.
 * {@code kind}: the part's kind, filled in when the bundle is registered (a request names only the
 * SKU and the quantity); a SKU's kind never changes.
 */
public record BundlePart(String skuId, int quantity, SkuKind kind) implements CborSerializable {

  public static final int MAX_QUANTITY = 100;

  public BundlePart {
    Identifier.require("parts[].skuId", skuId);
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("parts[].quantity must be between 1 and " + MAX_QUANTITY);
    }
    if (kind == SkuKind.DIRECT_TOPUP && quantity != 1) {
      throw new IllegalArgumentException("a top-up part (" + skuId + ") is topped up once per bundle: quantity 1");
    }
  }

  public BundlePart(String skuId, int quantity) {
    this(skuId, quantity, null);
  }

  public boolean topup() {
    return kind == SkuKind.DIRECT_TOPUP;
  }

  /** The same part, its kind known. */
  public BundlePart of(SkuKind partKind) {
    return new BundlePart(skuId, quantity, partKind);
  }
}
