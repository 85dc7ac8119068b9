package com.quanyi.persistence.reporting;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.protocol.reporting.BatchReport;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The inventory projection's tables: each SKU with its batches (stock per SKU and batch, low-stock
 * alerts), and the batches imported per supplier and day. One event's changes are one logged batch
 * that carries the SKU's event sequence number.
 */
public final class InventoryReportStore {

  private final CqlSession session;
  private final ReportDays days;
  private final PreparedStatement selectSku;
  private final PreparedStatement selectSkus;
  private final PreparedStatement selectBatches;
  private final PreparedStatement upsertSku;
  private final PreparedStatement upsertBatch;
  private final PreparedStatement insertSupplierBatch;
  private final PreparedStatement selectSupplierBatches;

  public InventoryReportStore(CqlSession session, String keyspace, ReportDays days) {
    this.session = session;
    this.days = days;
    String ks = keyspace + ".";
    selectSku = session.prepare("SELECT * FROM " + ks + "report_skus WHERE sku_id = ?");
    selectSkus = session.prepare("SELECT * FROM " + ks + "report_skus");
    selectBatches = session.prepare("SELECT * FROM " + ks + "report_batches WHERE sku_id = ?");
    upsertSku = session.prepare("INSERT INTO " + ks + "report_skus (sku_id, seq, name, kind, threshold, low_since, "
        + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    upsertBatch = session.prepare("INSERT INTO " + ks + "report_batches (sku_id, batch_id, supplier_id, units, "
        + "allocated, released, frozen, unit_cost, currency, added_at, expired) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertSupplierBatch = session.prepare("INSERT INTO " + ks + "supplier_batches (day, supplier_id, sku_id, "
        + "batch_id, units, unit_cost, currency, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    selectSupplierBatches = session.prepare("SELECT * FROM " + ks + "supplier_batches WHERE day = ?");
  }

  public static List<String> tables() {
    return List.of("report_skus", "report_batches", "supplier_batches");
  }

  public ReportDays days() {
    return days;
  }

  public CompletionStage<Optional<SkuReport>> sku(String skuId) {
    return session.executeAsync(selectSku.bind(skuId)).thenCompose(rs -> {
      Row row = rs.one();
      if (row == null) {
        return CompletableFuture.completedFuture(Optional.<SkuReport>empty());
      }
      return batches(skuId).thenApply(batches -> Optional.of(sku(row, batches)));
    });
  }

  /** Every SKU with its batches; SKUs are a catalog (thousands), not a stream. */
  public CompletionStage<List<SkuReport>> skus() {
    return Stages.allRows(session.executeAsync(selectSkus.bind()), new ArrayList<Row>(), r -> r)
        .thenCompose(rows -> {
          List<CompletionStage<SkuReport>> each = new ArrayList<>();
          for (Row row : rows) {
            each.add(batches(row.getString("sku_id")).thenApply(batches -> sku(row, batches)));
          }
          return Stages.sequence(each);
        });
  }

  /** Writes the SKU (with its new sequence number) and the batches this event changed. */
  public CompletionStage<Void> write(SkuReport sku, List<BatchReport> changed, List<BatchReport> added) {
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED);
    batch.addStatement(upsertSku.bind(sku.skuId(), sku.seq(), sku.name(), sku.kind(), sku.threshold(), sku.lowSince(),
        sku.updatedAt()));
    for (BatchReport b : changed) {
      batch.addStatement(upsertBatch.bind(b.skuId(), b.batchId(), b.supplierId(), b.units(), b.allocated(),
          b.released(), b.frozen(), b.unitCost(), b.currency(), b.addedAt(), b.expired()));
    }
    for (BatchReport b : added) {
      batch.addStatement(insertSupplierBatch.bind(days.dayOf(b.addedAt()), b.supplierId() == null ? "" : b.supplierId(),
          b.skuId(), b.batchId(), b.units(), b.unitCost(), b.currency(), b.addedAt()));
    }
    return session.executeAsync(batch.build()).thenApply(rs -> null);
  }

  /** Code batches imported on a day, every supplier. */
  public CompletionStage<List<BatchReport>> batchesAddedOn(LocalDate day) {
    return Stages.allRows(session.executeAsync(selectSupplierBatches.bind(day)), new ArrayList<>(),
        r -> new BatchReport(r.getString("sku_id"), r.getString("batch_id"), r.getString("supplier_id"),
            r.getLong("units"), 0, 0, false, r.getLong("unit_cost"), r.getString("currency"), r.getInstant("added_at")));
  }

  private CompletionStage<List<BatchReport>> batches(String skuId) {
    return Stages.allRows(session.executeAsync(selectBatches.bind(skuId)), new ArrayList<>(),
        r -> new BatchReport(skuId, r.getString("batch_id"), r.getString("supplier_id"), r.getLong("units"),
            r.getLong("allocated"), r.getLong("released"), r.getBoolean("frozen"), r.getLong("unit_cost"),
            r.getString("currency"), r.getInstant("added_at"), r.getLong("expired")));
  }

  private static SkuReport sku(Row r, List<BatchReport> batches) {
    return new SkuReport(r.getString("sku_id"), r.getLong("seq"), r.getString("name"), r.getString("kind"),
        r.getLong("threshold"), r.getInstant("low_since"), r.getInstant("updated_at"), batches);
  }
}
