package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;

/**
 * Body of {@code PATCH /admin/v1/skus/{skuId}}: the fields to change; absent ones stay. A
 * {@code maxPerBuyer} of 0 removes the limit.
 */
public record SkuPatch(
    String name,
    Money listPrice,
    RiskLevel riskLevel,
    Integer maxPerBuyer,
    SkuStatus status,
    Long lowStockThreshold) implements CborSerializable {

  public SkuPatch {
    if (name != null) {
      SkuDefinition.requireName(name);
    }
    if (maxPerBuyer != null && maxPerBuyer < 0) {
      throw new IllegalArgumentException("maxPerBuyer must be 0 (no limit) or more");
    }
  }

  public boolean isEmpty() {
    return name == null && listPrice == null && riskLevel == null && maxPerBuyer == null && status == null
        && lowStockThreshold == null;
  }
}
