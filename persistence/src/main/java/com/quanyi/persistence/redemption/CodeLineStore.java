package com.quanyi.persistence.redemption;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.persistence.reporting.ReportDays;
import com.quanyi.persistence.reporting.Stages;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The {@code code_lines} table: codes delivered and redeemed, by the day they were delivered. */
public final class CodeLineStore {

  public static final String DELIVERED = "DELIVERED";
  public static final String REDEEMED = "REDEEMED";

  /**
   * One delivery ({@code codes} delivered in {@code orderId}) or one redemption ({@code amount} used;
   * {@code codes} 1 when it used the code up, else 0). {@code eventKey}: the order and first position
   * of a delivery, the redemption id of a redemption.
   */
  public record CodeLine(LocalDate day, String skuId, String batchId, String channelId, String kind, String eventKey,
      int codes, long amount, String currency, String orderId, Instant deliveredAt, Instant redeemedAt,
      String verifierId, String place) {}

  private final CqlSession session;
  private final ReportDays days;
  private final PreparedStatement insert;
  private final PreparedStatement byDay;
  private final PreparedStatement bySku;
  private final PreparedStatement byBatch;

  public CodeLineStore(CqlSession session, String keyspace, ReportDays days) {
    this.session = session;
    this.days = days;
    String columns = "day, sku_id, batch_id, channel_id, kind, event_key, codes, amount, currency, order_id, "
        + "delivered_at, redeemed_at, verifier_id, place";
    this.insert = session.prepare("INSERT INTO " + keyspace + ".code_lines (" + columns
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    String select = "SELECT " + columns + " FROM " + keyspace + ".code_lines WHERE day = ?";
    this.byDay = session.prepare(select);
    this.bySku = session.prepare(select + " AND sku_id = ?");
    this.byBatch = session.prepare(select + " AND sku_id = ? AND batch_id = ?");
  }

  public static List<String> tables() {
    return List.of("code_lines");
  }

  public ReportDays days() {
    return days;
  }

  /** One unlogged write: every line is keyed by its event, so a replay writes the same rows. */
  public CompletionStage<Void> write(List<CodeLine> lines) {
    if (lines.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    for (CodeLine l : lines) {
      batch.addStatement(insert.bind(l.day(), l.skuId(), l.batchId(), l.channelId(), l.kind(), l.eventKey(), l.codes(),
          l.amount(), l.currency(), l.orderId(), l.deliveredAt(), l.redeemedAt(), l.verifierId(), l.place()));
    }
    return session.executeAsync(batch.build()).thenApply(rs -> null);
  }

  /** A day's lines, of one SKU (or batch of it) when named. */
  public CompletionStage<List<CodeLine>> linesOn(LocalDate day, String skuId, String batchId) {
    BoundStatement query = skuId == null ? byDay.bind(day)
        : batchId == null ? bySku.bind(day, skuId) : byBatch.bind(day, skuId, batchId);
    return Stages.allRows(session.executeAsync(query), new ArrayList<>(), CodeLineStore::line);
  }

  private static CodeLine line(Row row) {
    return new CodeLine(row.getLocalDate("day"), row.getString("sku_id"), row.getString("batch_id"),
        row.getString("channel_id"), row.getString("kind"), row.getString("event_key"), row.getInt("codes"),
        row.getLong("amount"), row.getString("currency"), row.getString("order_id"), row.getInstant("delivered_at"),
        row.getInstant("redeemed_at"), row.getString("verifier_id"), row.getString("place"));
  }
}
