package com.quanyi.node.order;

import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.order.OrderProcessProtocol.Refused;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.RefusalReason;
import java.util.Optional;

/** Whether a top-up order may go ahead for this SKU, and why not. */
final class TopupRules {

  private TopupRules() {}

  static Optional<Refused> refusal(Lookup lookup, OrderRequest request) {
    return refusal(lookup, request.skuId(), request);
  }

  /** {@code skuId}: the SKU topped up, the order's own or a bundle's top-up part. */
  static Optional<Refused> refusal(Lookup lookup, String skuId, OrderRequest request) {
    if (!(lookup instanceof Found found)) {
      return Optional.of(new Refused(RefusalReason.SKU_UNAVAILABLE, "no such SKU " + skuId));
    }
    SkuDefinition sku = found.sku().definition();
    if (sku.kind() != SkuKind.DIRECT_TOPUP) {
      return Optional.of(new Refused(RefusalReason.INVALID_REQUEST,
          "SKU " + skuId + " is delivered as card codes; send no rechargeAccount"));
    }
    if (!sku.isListed()) {
      return Optional.of(new Refused(RefusalReason.SKU_UNAVAILABLE, "SKU " + skuId + " is not listed"));
    }
    if (!sku.acceptsAccount(request.rechargeAccount())) {
      return Optional.of(new Refused(RefusalReason.INVALID_REQUEST,
          "rechargeAccount is not an account SKU " + skuId + " can top up"));
    }
    return Optional.empty();
  }
}
