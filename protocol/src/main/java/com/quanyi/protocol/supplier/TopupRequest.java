package com.quanyi.protocol.supplier;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import java.util.Objects;

/**
 * One attempt to top up an account at one supplier. {@code supplierOrderId} is the supplier's
 * idempotency key: sending the same attempt again must never top up twice.
 */
public record TopupRequest(String supplierOrderId, String productCode, String account, Money faceValue)
    implements CborSerializable {

  public TopupRequest {
    requireText("supplierOrderId", supplierOrderId, 128);
    requireText("productCode", productCode, 64);
    requireText("account", account, 128);
    Objects.requireNonNull(faceValue, "faceValue");
  }

  private static void requireText(String field, String value, int max) {
    if (value == null || value.isBlank() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + " must be 1-" + max + " characters without control characters");
    }
  }
}
