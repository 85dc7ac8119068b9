package com.quanyi.protocol.supplier;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.Money;
import java.util.Objects;

/** One supplier in a SKU's route: its own code for the product and what one unit costs there. */
public record RouteEntry(String supplierId, String productCode, Money unitCost) implements CborSerializable {

  public RouteEntry {
    Identifier.require("supplierId", supplierId);
    if (productCode == null || productCode.isBlank() || productCode.length() > 64
        || productCode.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("productCode must be 1-64 characters without control characters");
    }
    Objects.requireNonNull(unitCost, "unitCost is required");
    if (unitCost.amount() < 0) {
      throw new IllegalArgumentException("unitCost must not be negative");
    }
  }
}
