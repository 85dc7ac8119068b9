package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.InventoryReportStore;
import com.quanyi.persistence.reporting.SkuReport;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Event;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * The inventory projection's handler for one tag: every event of a SKU updates its view and the
 * batches it changed in one write that carries the SKU's sequence number.
 */
final class InventoryReportHandler extends EntityStateHandler<Event, SkuReport> {

  private final InventoryReportStore store;

  InventoryReportHandler(InventoryReportStore store) {
    this.store = store;
  }

  @Override
  protected CompletionStage<SkuReport> load(String skuId) {
    return store.sku(skuId).thenApply(found -> found.orElse(
        new SkuReport(skuId, 0, null, null, 0, null, null, List.of())));
  }

  @Override
  protected long seq(SkuReport state) {
    return state.seq();
  }

  @Override
  protected CompletionStage<SkuReport> applyAndWrite(String skuId, SkuReport before, EventEnvelope<Event> envelope) {
    InventoryReportLogic.Effect effect = InventoryReportLogic.apply(skuId, before, envelope.event(),
        envelope.sequenceNr(), Instant.ofEpochMilli(envelope.timestamp()));
    return store.write(effect.after(), effect.changed(), effect.added()).thenApply(written -> effect.after());
  }
}
