package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;

/** One part of a benefit bundle: {@code quantity} units of a card-code SKU in every bundle sold. */
public record BundlePart(String skuId, int quantity) implements CborSerializable {

  public static final int MAX_QUANTITY = 100;

  public BundlePart {
    Identifier.require("parts[].skuId", skuId);
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("parts[].quantity must be between 1 and " + MAX_QUANTITY);
    }
  }
}
