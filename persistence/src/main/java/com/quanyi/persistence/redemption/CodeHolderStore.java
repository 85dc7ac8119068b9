package com.quanyi.persistence.redemption;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code code_holders} table: which order each delivered range of a batch's positions went to.
 * Positions are delivered once (the inventory hands each out to one order), so ranges never
 * overlap; a position's range is the one with the greatest start at or below it.
 */
public final class CodeHolderStore {

  /** {@code count} positions from {@code start} of a batch, delivered in an order. */
  public record Holding(String skuId, String batchId, long start, int count, String orderId, String channelId,
      Instant deliveredAt) {
    public boolean holds(long position) {
      return position >= start && position < start + count;
    }
  }

  private final CqlSession session;
  private final PreparedStatement insert;
  private final PreparedStatement select;

  public CodeHolderStore(CqlSession session, String keyspace) {
    this.session = session;
    this.insert = session.prepare("INSERT INTO " + keyspace + ".code_holders (sku_id, batch_id, start, count, "
        + "order_id, channel_id, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.select = session.prepare("SELECT start, count, order_id, channel_id, delivered_at FROM " + keyspace
        + ".code_holders WHERE sku_id = ? AND batch_id = ? AND start <= ? LIMIT 1");
  }

  public static List<String> tables() {
    return List.of("code_holders");
  }

  /** One unlogged write: rows are idempotent (the same delivery writes the same row). */
  public CompletionStage<Void> write(List<Holding> holdings) {
    if (holdings.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    for (Holding h : holdings) {
      batch.addStatement(insert.bind(h.skuId(), h.batchId(), h.start(), h.count(), h.orderId(), h.channelId(),
          h.deliveredAt()));
    }
    return session.executeAsync(batch.build()).thenApply(rs -> null);
  }

  /** The delivery that holds this position, if one was recorded. */
  public CompletionStage<Optional<Holding>> holder(String skuId, String batchId, long position) {
    return session.executeAsync(select.bind(skuId, batchId, position)).thenApply(rs -> {
      Row row = rs.one();
      if (row == null) {
        return Optional.<Holding>empty();
      }
      Holding found = new Holding(skuId, batchId, row.getLong("start"), row.getInt("count"), row.getString("order_id"),
          row.getString("channel_id"), row.getInstant("delivered_at"));
      return found.holds(position) ? Optional.of(found) : Optional.<Holding>empty();
    });
  }
}
