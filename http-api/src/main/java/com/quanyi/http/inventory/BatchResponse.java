package com.quanyi.http.inventory;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.BatchView;
import com.quanyi.protocol.inventory.StockView;
import java.time.Instant;

/** A code batch as the admin API shows it: counts only, never codes ({@code expired}: never to be sold). */
public record BatchResponse(String batchId, long accepted, long available, long allocated, long expired,
    boolean frozen, String supplierId, Money unitCost, Instant addedAt, StockView skuStock) {

  static BatchResponse of(BatchView b, StockView skuStock) {
    return new BatchResponse(b.batchId(), b.accepted(), b.available(), b.allocated(), b.expired(), b.frozen(),
        b.supplierId(),
        b.unitCost(), b.addedAt(), skuStock);
  }
}
