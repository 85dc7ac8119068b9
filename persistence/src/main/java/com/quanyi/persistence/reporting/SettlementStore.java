package com.quanyi.persistence.reporting;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.protocol.reporting.CommissionEntry;
import com.quanyi.protocol.reporting.InvalidCursor;
import com.quanyi.protocol.reporting.Page;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The settlement projection's tables. A group of events' commission lines and the orders'
 * settlement rows (with each order's last applied sequence number) are one logged batch.
 */
public final class SettlementStore {

  private final CqlSession session;
  private final PreparedStatement selectOrder;
  private final PreparedStatement upsertOrder;
  private final PreparedStatement insertEntry;
  private final PreparedStatement firstEntries;
  private final PreparedStatement entriesAfter;

  public SettlementStore(CqlSession session, String keyspace) {
    this.session = session;
    String ks = keyspace + ".";
    selectOrder = session.prepare("SELECT * FROM " + ks + "settlement_orders WHERE order_id = ?");
    upsertOrder = session.prepare("INSERT INTO " + ks + "settlement_orders (order_id, seq, channel_id, sku_id, amount, "
        + "quantity, currency, accrued, reversed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertEntry = session.prepare("INSERT INTO " + ks + "commission_entries (channel_id, at, order_id, kind, level, "
        + "buyer_channel_id, sku_id, amount, currency, rule_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    String select = "SELECT * FROM " + ks + "commission_entries WHERE channel_id = ?";
    firstEntries = session.prepare(select + " LIMIT ?");
    entriesAfter = session.prepare(select + " AND (at, order_id, kind) > (?, ?, ?) LIMIT ?");
  }

  public static List<String> tables() {
    return List.of("settlement_orders", "commission_entries");
  }

  public CompletionStage<Optional<SettlementOrder>> order(String orderId) {
    return session.executeAsync(selectOrder.bind(orderId)).thenApply(rs -> Optional.ofNullable(rs.one())
        .map(r -> new SettlementOrder(orderId, r.getLong("seq"), r.getString("channel_id"), r.getString("sku_id"),
            r.getLong("amount"), r.getInt("quantity"), r.getString("currency"),
            r.getMap("accrued", String.class, Long.class), r.getBoolean("reversed"))));
  }

  /** These orders' settlement rows (those that have one), read in parallel. */
  public CompletionStage<Map<String, SettlementOrder>> orders(Collection<String> orderIds) {
    List<CompletionStage<Optional<SettlementOrder>>> reads = new ArrayList<>();
    orderIds.forEach(id -> reads.add(order(id)));
    return Stages.sequence(reads).thenApply(found -> {
      Map<String, SettlementOrder> rows = new HashMap<>();
      found.forEach(f -> f.ifPresent(row -> rows.put(row.orderId(), row)));
      return rows;
    });
  }

  /** A group's changes: the orders' new rows and their commission lines, one logged batch. */
  public CompletionStage<Void> write(List<SettlementOrder> orders, List<CommissionEntry> entries) {
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED);
    for (SettlementOrder order : orders) {
      batch.addStatement(upsertOrder.bind(order.orderId(), order.seq(), order.channelId(), order.skuId(),
          order.amount(), order.quantity(), order.currency(), order.accrued(), order.reversed()));
    }
    for (CommissionEntry e : entries) {
      batch.addStatement(insertEntry.bind(e.channelId(), e.at(), e.orderId(), e.kind(), e.level(), e.buyerChannelId(),
          e.skuId(), e.amount(), e.currency(), e.ruleVersion()));
    }
    return session.executeAsync(batch.build()).thenApply(rs -> null);
  }

  /** A page of a channel's commission lines, oldest first, after the cursor a previous page returned. */
  public CompletionStage<Page<CommissionEntry>> entries(String channelId, String after, int limit) {
    var statement = after == null ? firstEntries.bind(channelId, limit) : after(channelId, after, limit);
    return session.executeAsync(statement).thenApply(rs -> {
      List<CommissionEntry> rows = new ArrayList<>();
      for (Row r : rs.currentPage()) {
        rows.add(new CommissionEntry(channelId, r.getInstant("at"), r.getString("order_id"), r.getString("kind"),
            r.getInt("level"), r.getString("buyer_channel_id"), r.getString("sku_id"), r.getLong("amount"),
            r.getString("currency"), r.getLong("rule_version")));
      }
      String next = null;
      if (rows.size() == limit) {
        CommissionEntry last = rows.get(rows.size() - 1);
        next = Base64.getUrlEncoder().withoutPadding().encodeToString((last.at().toEpochMilli() + "|" + last.kind()
            + "|" + last.orderId()).getBytes(StandardCharsets.UTF_8));
      }
      return new Page<>(rows, next);
    });
  }

  private com.datastax.oss.driver.api.core.cql.BoundStatement after(String channelId, String cursor, int limit) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
      return entriesAfter.bind(channelId, Instant.ofEpochMilli(Long.parseLong(parts[0])), parts[2], parts[1], limit);
    } catch (RuntimeException e) {
      throw new InvalidCursor();
    }
  }
}
