package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.Money;

/**
 * One part of a benefit bundle: {@code quantity} units of another SKU in every bundle sold.
 * {@code kind} and {@code faceValue}: the part SKU's, filled in when the bundle is registered (a
 * request names only the SKU, the quantity and, for a top-up part, {@code onFailure}); neither
 * changes afterwards. {@code faceValue} is null in bundles registered before it was kept.
 * {@code onFailure}: on the top-up part only, what a failure of it refunds.
 */
public record BundlePart(String skuId, int quantity, SkuKind kind, Money faceValue, TopupFailure onFailure)
    implements CborSerializable {

  public static final int MAX_QUANTITY = 100;

  public BundlePart {
    Identifier.require("parts[].skuId", skuId);
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("parts[].quantity must be between 1 and " + MAX_QUANTITY);
    }
    if (kind == SkuKind.DIRECT_TOPUP && quantity != 1) {
      throw new IllegalArgumentException("a top-up part (" + skuId + ") is topped up once per bundle: quantity 1");
    }
    if (onFailure != null && kind != null && kind != SkuKind.DIRECT_TOPUP) {
      throw new IllegalArgumentException("part " + skuId + " is not a top-up: onFailure belongs to the top-up part");
    }
  }

  public BundlePart(String skuId, int quantity, SkuKind kind) {
    this(skuId, quantity, kind, null, null);
  }

  public BundlePart(String skuId, int quantity) {
    this(skuId, quantity, null);
  }

  public boolean topup() {
    return kind == SkuKind.DIRECT_TOPUP;
  }

  /**
   * The same part as its SKU is: its kind and face value known, and a top-up part's failure policy
   * REFUND_PART unless the request chose one.
   */
  public BundlePart of(SkuKind partKind, Money partFaceValue) {
    TopupFailure policy = partKind == SkuKind.DIRECT_TOPUP && onFailure == null ? TopupFailure.REFUND_PART : onFailure;
    return new BundlePart(skuId, quantity, partKind, partFaceValue, policy);
  }

  /** The face value this part brings to one bundle; null when it was not kept (older bundles). */
  public Money value() {
    return faceValue == null ? null : faceValue.times(quantity);
  }
}
