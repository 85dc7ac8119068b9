package com.quanyi.protocol.inventory;

import com.quanyi.protocol.Money;
import java.time.Instant;
import java.util.List;

/** A SKU as the admin API shows it. */
public record SkuResponse(
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
    List<BundlePart> parts,
    StockView stock,
    Instant createdAt) {

  public static SkuResponse of(SkuInventoryProtocol.SkuView view) {
    SkuDefinition d = view.definition();
    return new SkuResponse(d.skuId(), d.name(), d.kind(), d.faceValue(), d.listPrice(), d.riskLevel(),
        d.limitsBuyers() ? d.maxPerBuyer() : null, d.status(),
        d.lowStockThreshold() > 0 ? d.lowStockThreshold() : null, d.accountPattern(), d.parts(), view.stock(), view.registeredAt());
  }
}
