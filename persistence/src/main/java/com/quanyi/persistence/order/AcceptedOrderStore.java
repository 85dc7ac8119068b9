package com.quanyi.persistence.order;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code accepted_orders} table: the acceptances written in channel accounts' grouped debits,
 * by order id, as serialized events. One row per order; writing a row again writes the same row.
 */
public final class AcceptedOrderStore {

  /** One serialized acceptance. */
  public record Serialized(String orderId, int serializerId, String manifest, byte[] bytes) {}

  private final CqlSession session;
  private final PreparedStatement insert;
  private final PreparedStatement select;

  public AcceptedOrderStore(CqlSession session, String keyspace) {
    this.session = session;
    this.insert = session.prepare("INSERT INTO " + keyspace
        + ".accepted_orders (order_id, ser_id, ser_manifest, accepted) VALUES (?, ?, ?, ?)");
    this.select = session.prepare("SELECT ser_id, ser_manifest, accepted FROM " + keyspace
        + ".accepted_orders WHERE order_id = ?");
  }

  /**
   * Completes when every row is written. Rows of different orders are different partitions: one
   * statement each (a batch of them would be coordinated the same and could pass the batch size limit).
   */
  public CompletionStage<Void> write(List<Serialized> rows) {
    CompletableFuture<?>[] writes = rows.stream()
        .map(r -> session.executeAsync(insert.bind(r.orderId(), r.serializerId(), r.manifest(),
            ByteBuffer.wrap(r.bytes()))).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(writes);
  }

  public CompletionStage<Optional<Serialized>> find(String orderId) {
    return session.executeAsync(select.bind(orderId)).thenApply(rs -> {
      Row row = rs.one();
      if (row == null) {
        return Optional.empty();
      }
      ByteBuffer buffer = row.getByteBuffer("accepted");
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return Optional.of(new Serialized(orderId, row.getInt("ser_id"), row.getString("ser_manifest"), bytes));
    });
  }
}
