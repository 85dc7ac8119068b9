package com.quanyi.protocol.inventory;

import com.quanyi.protocol.Money;
import java.util.List;

/**
 * Body of {@code POST /admin/v1/skus}. Fields are nullable here so that a missing one can be
 * named in the 400; {@link #toDefinition()} is where they become a validated definition.
 */
public record SkuRequest(
    String skuId,
    String name,
    SkuKind kind,
    Money faceValue,
    Money listPrice,
    RiskLevel riskLevel,
    Integer maxPerBuyer,
    SkuStatus status,
    Long lowStockThreshold,
    String accountPattern,
    List<BundlePart> parts) {

  public SkuDefinition toDefinition() {
    return new SkuDefinition(
        required("skuId", skuId),
        required("name", name),
        required("kind", kind),
        required("faceValue", faceValue),
        required("listPrice", listPrice),
        required("riskLevel", riskLevel),
        maxPerBuyer == null ? SkuDefinition.UNLIMITED : requirePositive(maxPerBuyer),
        status == null ? SkuStatus.LISTED : status,
        lowStockThreshold == null ? 0 : lowStockThreshold,
        accountPattern,
        parts);
  }

  private static int requirePositive(int maxPerBuyer) {
    if (maxPerBuyer < 1) {
      throw new IllegalArgumentException("maxPerBuyer must be at least 1 (leave it out for no limit)");
    }
    return maxPerBuyer;
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }
}
