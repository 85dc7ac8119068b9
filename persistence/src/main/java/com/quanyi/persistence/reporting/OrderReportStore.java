package com.quanyi.persistence.reporting;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.protocol.reporting.IndexedOrder;
import com.quanyi.protocol.reporting.Page;
import com.quanyi.protocol.reporting.SupplierDayRow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The order projection's tables: order facts, the order index (by channel, status, SKU), the sales
 * ledger and supplier top-ups. A group of events' changes are one logged batch, each order's fact
 * row with its last applied sequence number among them, so they land together or not at all.
 */
public final class OrderReportStore {

  /**
   * What a group of order events changes, written as one logged batch: each order's fact row as
   * stored before the group ({@code before}, null for a new order) and after it, the sales and
   * supplier lines of its events, and the offset of the group's last event ({@code applied}, the
   * tag's new watermark).
   */
  public record Change(List<OrderChange> orders, List<SalesLine> sales, List<SupplierLine> suppliers, String tag,
      UUID applied) {}

  public record OrderChange(OrderFactRow before, OrderFactRow after) {}

  private final CqlSession session;
  private final ReportDays days;
  private final PreparedStatement selectFact;
  private final PreparedStatement selectWatermark;
  private final PreparedStatement upsertWatermark;
  private final PreparedStatement insertFact;
  private final PreparedStatement insertByChannel;
  private final PreparedStatement insertBySku;
  private final PreparedStatement insertByStatus;
  private final PreparedStatement deleteByStatus;
  private final PreparedStatement insertSalesLine;
  private final PreparedStatement selectSalesDay;
  private final PreparedStatement insertSupplierLine;
  private final PreparedStatement selectSupplierDay;
  private final OrderIndexQuery byChannel;
  private final OrderIndexQuery byStatus;
  private final OrderIndexQuery bySku;

  public OrderReportStore(CqlSession session, String keyspace, ReportDays days) {
    this.session = session;
    this.days = days;
    String ks = keyspace + ".";
    selectFact = session.prepare("SELECT * FROM " + ks + "order_facts WHERE order_id = ?");
    selectWatermark = session.prepare("SELECT applied FROM " + ks + "order_watermarks WHERE tag = ?");
    upsertWatermark = session.prepare("INSERT INTO " + ks + "order_watermarks (tag, applied) VALUES (?, ?)");
    insertFact = session.prepare("INSERT INTO " + ks + "order_facts (order_id, seq, channel_id, sku_id, client_order_no, "
        + "quantity, status, status_at, amount, cost, currency, created_at, supplier_id, pending_cost) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertByChannel = session.prepare("INSERT INTO " + ks + "orders_by_channel (channel_id, day, created_at, order_id, "
        + "client_order_no, sku_id, quantity, status, amount, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertBySku = session.prepare("INSERT INTO " + ks + "orders_by_sku (sku_id, day, created_at, order_id, channel_id, "
        + "client_order_no, quantity, status, amount, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertByStatus = session.prepare("INSERT INTO " + ks + "orders_by_status (status, day, status_at, order_id, "
        + "channel_id, client_order_no, sku_id, quantity, amount, currency, created_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    deleteByStatus = session.prepare("DELETE FROM " + ks + "orders_by_status WHERE status = ? AND day = ? "
        + "AND status_at = ? AND order_id = ?");
    insertSalesLine = session.prepare("INSERT INTO " + ks + "sales_lines (day, sku_id, channel_id, tag, order_id, seq, "
        + "orders, units, revenue, cost, refunds, refunded_orders, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    selectSalesDay = session.prepare("SELECT * FROM " + ks + "sales_lines WHERE day = ?");
    insertSupplierLine = session.prepare("INSERT INTO " + ks + "supplier_lines (day, supplier_id, tag, order_id, seq, "
        + "submitted, succeeded, failed, undecided, cost, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    selectSupplierDay = session.prepare("SELECT * FROM " + ks + "supplier_lines WHERE day = ?");
    byChannel = new OrderIndexQuery(session, ks + "orders_by_channel", "channel_id", "created_at");
    byStatus = new OrderIndexQuery(session, ks + "orders_by_status", "status", "status_at");
    bySku = new OrderIndexQuery(session, ks + "orders_by_sku", "sku_id", "created_at");
  }

  public static List<String> tables() {
    return List.of("order_facts", "order_watermarks", "orders_by_channel", "orders_by_status", "orders_by_sku", "sales_lines",
        "supplier_lines");
  }

  public ReportDays days() {
    return days;
  }

  public CompletionStage<Optional<OrderFactRow>> fact(String orderId) {
    return session.executeAsync(selectFact.bind(orderId)).thenApply(rs -> Optional.ofNullable(rs.one())
        .map(r -> new OrderFactRow(orderId, r.getLong("seq"), r.getString("channel_id"), r.getString("sku_id"),
            r.getString("client_order_no"), r.getInt("quantity"), r.getString("status"), r.getInstant("status_at"),
            r.getLong("amount"), r.getLong("cost"), r.getString("currency"), r.getInstant("created_at"),
            r.getString("supplier_id"), r.getLong("pending_cost"))));
  }

  /** The offset of the last event the projection applied for {@code tag}; empty before its first. */
  public CompletionStage<Optional<UUID>> watermark(String tag) {
    return session.executeAsync(selectWatermark.bind(tag))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(r -> r.getUuid("applied")));
  }

  public CompletionStage<Void> write(Change change) {
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED);
    for (OrderChange order : change.orders()) {
      addOrder(batch, order.before(), order.after());
    }
    for (SalesLine line : change.sales()) {
      SalesRow s = line.row();
      batch.addStatement(insertSalesLine.bind(s.day(), s.skuId(), s.channelId(), change.tag(), line.orderId(),
          line.seq(), s.orders(), s.units(), s.revenue(), s.cost(), s.refunds(), s.refundedOrders(), s.currency()));
    }
    for (SupplierLine line : change.suppliers()) {
      SupplierDayRow s = line.row();
      batch.addStatement(insertSupplierLine.bind(s.day(), s.supplierId(), change.tag(), line.orderId(), line.seq(),
          s.submitted(), s.succeeded(), s.failed(), s.undecided(), s.cost(), s.currency()));
    }
    if (change.applied() != null) {
      batch.addStatement(upsertWatermark.bind(change.tag(), change.applied()));
    }
    return session.executeAsync(batch.build()).thenApply(rs -> null);
  }

  private void addOrder(BatchStatementBuilder batch, OrderFactRow before, OrderFactRow after) {
    batch.addStatement(insertFact.bind(after.orderId(), after.seq(), after.channelId(), after.skuId(),
        after.clientOrderNo(), after.quantity(), after.status(), after.statusAt(), after.amount(), after.cost(),
        after.currency(), after.createdAt(), after.supplierId(), after.pendingCost()));
    boolean statusChanged = before == null || !before.status().equals(after.status())
        || !before.statusAt().equals(after.statusAt());
    if (!statusChanged) {
      return;
    }
    LocalDate created = days.dayOf(after.createdAt());
    batch.addStatement(insertByChannel.bind(after.channelId(), created, after.createdAt(), after.orderId(),
        after.clientOrderNo(), after.skuId(), after.quantity(), after.status(), after.amount(), after.currency()));
    batch.addStatement(insertBySku.bind(after.skuId(), created, after.createdAt(), after.orderId(),
        after.channelId(), after.clientOrderNo(), after.quantity(), after.status(), after.amount(), after.currency()));
    if (before != null) {
      batch.addStatement(deleteByStatus.bind(before.status(), days.dayOf(before.statusAt()), before.statusAt(),
          before.orderId()));
    }
    batch.addStatement(insertByStatus.bind(after.status(), days.dayOf(after.statusAt()), after.statusAt(),
        after.orderId(), after.channelId(), after.clientOrderNo(), after.skuId(), after.quantity(), after.amount(),
        after.currency(), after.createdAt()));
  }

  /** Facts of these orders (those that have any), read in parallel. */
  public CompletionStage<Map<String, OrderFactRow>> facts(Collection<String> orderIds) {
    List<CompletionStage<Optional<OrderFactRow>>> reads = new ArrayList<>();
    for (String orderId : orderIds) {
      reads.add(fact(orderId));
    }
    return Stages.sequence(reads).thenApply(found -> {
      Map<String, OrderFactRow> facts = new HashMap<>();
      found.forEach(f -> f.ifPresent(row -> facts.put(row.orderId(), row)));
      return facts;
    });
  }

  /** A day's sales ledger: its lines summed per SKU × channel. */
  public CompletionStage<List<SalesRow>> salesOn(LocalDate day) {
    return Stages.allRows(session.executeAsync(selectSalesDay.bind(day)), new ArrayList<>(), OrderReportStore::sales)
        .thenApply(rows -> {
          Map<String, SalesRow> lines = new LinkedHashMap<>();
          for (SalesRow row : rows) {
            lines.merge(row.skuId() + "\u0000" + row.channelId(), row, SalesRow::plus);
          }
          return List.copyOf(lines.values());
        });
  }

  /** A day's supplier top-ups: its lines summed per supplier. */
  public CompletionStage<List<SupplierDayRow>> suppliersOn(LocalDate day) {
    return Stages.allRows(session.executeAsync(selectSupplierDay.bind(day)), new ArrayList<>(), OrderReportStore::supplier)
        .thenApply(rows -> {
          Map<String, SupplierDayRow> lines = new LinkedHashMap<>();
          for (SupplierDayRow row : rows) {
            lines.merge(row.supplierId(), row, SupplierDayRow::plus);
          }
          return List.copyOf(lines.values());
        });
  }

  public CompletionStage<Page<IndexedOrder>> ordersByChannel(String channelId, LocalDate from, LocalDate to,
      String after, int limit) {
    return byChannel.page(channelId, from, to, after, limit);
  }

  public CompletionStage<Page<IndexedOrder>> ordersByStatus(String status, LocalDate from, LocalDate to, String after,
      int limit) {
    return byStatus.page(status, from, to, after, limit);
  }

  public CompletionStage<Page<IndexedOrder>> ordersBySku(String skuId, LocalDate from, LocalDate to, String after,
      int limit) {
    return bySku.page(skuId, from, to, after, limit);
  }

  private static SalesRow sales(Row r) {
    return new SalesRow(r.getLocalDate("day"), r.getString("sku_id"), r.getString("channel_id"), r.getLong("orders"),
        r.getLong("units"), r.getLong("revenue"), r.getLong("cost"), r.getLong("refunds"), r.getLong("refunded_orders"),
        r.getString("currency"));
  }

  private static SupplierDayRow supplier(Row r) {
    return new SupplierDayRow(r.getLocalDate("day"), r.getString("supplier_id"), r.getLong("submitted"),
        r.getLong("succeeded"), r.getLong("failed"), r.getLong("undecided"), r.getLong("cost"), r.getString("currency"));
  }
}
