package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.InventoryReportStore;
import com.quanyi.persistence.reporting.SkuReport;
import com.quanyi.protocol.inventory.InventoryProtocol.Event;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The inventory projection's handler for one tag: every event of a SKU updates its view and
 * batches in one write that carries the SKU's sequence number; an event at or below it is a
 * replay and skipped. A SKU's events all carry one tag, so this instance is its only writer and
 * keeps it in memory once read.
 */
final class InventoryReportHandler extends Handler<EventEnvelope<Event>> {

  private final InventoryReportStore store;
  private final Map<String, SkuReport> skus = new Lru<>(10_000);

  InventoryReportHandler(InventoryReportStore store) {
    this.store = store;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Event> envelope) {
    String skuId = ProjectionSupport.entityId(envelope.persistenceId());
    SkuReport known = skus.get(skuId);
    CompletionStage<SkuReport> current = known != null ? CompletableFuture.completedFuture(known)
        : store.sku(skuId).thenApply(found -> found.orElse(null));
    return current.thenCompose(before -> {
      if (before != null && before.seq() >= envelope.sequenceNr()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      InventoryReportLogic.Effect effect = InventoryReportLogic.apply(skuId, before, envelope.event(),
          envelope.sequenceNr(), Instant.ofEpochMilli(envelope.timestamp()));
      return store.write(effect.after(), effect.changed(), effect.added()).thenApply(written -> {
        skus.put(skuId, effect.after());
        return Done.getInstance();
      });
    });
  }
}
