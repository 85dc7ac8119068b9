package com.quanyi.node.projection;

import com.quanyi.protocol.reporting.BatchReport;
import com.quanyi.persistence.reporting.SkuReport;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchAdded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFrozen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchUnfrozen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Event;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OrderSlots;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuRegistered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuUpdated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsAllocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.CodesExpired;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsReleased;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SlotRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one SKU event means for the inventory view, as a pure function: the SKU's new state (batch
 * counts, whether and since when it is below its low-stock threshold), the batches it changed and
 * the batches it added (for supplier statements).
 */
public final class InventoryReportLogic {

  public record Effect(SkuReport after, List<BatchReport> changed, List<BatchReport> added) {}

  private InventoryReportLogic() {}

  /** {@code before}: the SKU as the view has it (null before its first event); {@code at}: the event's time. */
  public static Effect apply(String skuId, SkuReport before, Event event, long seq, Instant at) {
    SkuReport sku = before != null ? before : new SkuReport(skuId, 0, null, null, 0, null, null, List.of());
    Map<String, BatchReport> batches = new LinkedHashMap<>();
    sku.batches().forEach(b -> batches.put(b.batchId(), b));
    Map<String, BatchReport> changed = new LinkedHashMap<>();
    List<BatchReport> added = new ArrayList<>();
    String name = sku.name();
    String kind = sku.kind();
    long threshold = sku.threshold();
    if (event instanceof SkuRegistered e) {
      SkuDefinition d = e.definition();
      name = d.name();
      kind = d.kind().name();
      threshold = d.lowStockThreshold();
    } else if (event instanceof SkuUpdated e) {
      name = e.definition().name();
      kind = e.definition().kind().name();
      threshold = e.definition().lowStockThreshold();
    } else if (event instanceof BatchAdded e && !batches.containsKey(e.batchId())) {
      BatchReport batch = new BatchReport(skuId, e.batchId(), e.supplierId(), e.units(), 0, 0, false,
          e.unitCost() == null ? 0 : e.unitCost().amount(), e.unitCost() == null ? null : e.unitCost().currency(),
          e.at());
      changed.put(batch.batchId(), batch);
      added.add(batch);
    } else if (event instanceof BatchFrozen e && batches.containsKey(e.batchId())) {
      changed.put(e.batchId(), batches.get(e.batchId()).frozen(true));
    } else if (event instanceof BatchUnfrozen e && batches.containsKey(e.batchId())) {
      changed.put(e.batchId(), batches.get(e.batchId()).frozen(false));
    } else if (event instanceof UnitsAllocated e) {
      for (OrderSlots allocation : e.allocations()) {
        move(batches, changed, allocation.slots(), true);
      }
    } else if (event instanceof UnitsReleased e) {
      move(batches, changed, e.slots(), false);
      if (e.expired() != null) {
        // Given back after expiry: released, and gone from stock at once.
        for (SlotRange range : e.expired()) {
          BatchReport batch = changed.getOrDefault(range.batchId(), batches.get(range.batchId()));
          if (batch != null) {
            changed.put(range.batchId(), batch.expired(range.count()));
          }
        }
      }
    } else if (event instanceof CodesExpired e && batches.containsKey(e.batchId())) {
      changed.put(e.batchId(), changed.getOrDefault(e.batchId(), batches.get(e.batchId())).expired(e.unsold()));
    }
    batches.putAll(changed);
    SkuReport next = new SkuReport(skuId, seq, name, kind, threshold, null, at, List.copyOf(batches.values()));
    long available = next.available();
    Instant lowSince = threshold > 0 && available < threshold ? (sku.lowSince() != null ? sku.lowSince() : at) : null;
    next = new SkuReport(skuId, seq, name, kind, threshold, lowSince, at, next.batches());
    return new Effect(next, List.copyOf(changed.values()), added);
  }

  private static void move(Map<String, BatchReport> batches, Map<String, BatchReport> changed, List<SlotRange> slots,
      boolean allocate) {
    for (SlotRange range : slots) {
      BatchReport batch = changed.getOrDefault(range.batchId(), batches.get(range.batchId()));
      if (batch != null) {
        changed.put(range.batchId(), allocate ? batch.moved(range.count(), 0) : batch.moved(0, range.count()));
      }
    }
  }
}
