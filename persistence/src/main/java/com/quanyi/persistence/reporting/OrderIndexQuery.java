package com.quanyi.persistence.reporting;

import com.quanyi.protocol.reporting.Page;
import com.quanyi.protocol.reporting.IndexedOrder;
import com.quanyi.protocol.reporting.InvalidCursor;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pages through one order index table (partitioned by a key and a day, ordered by a time and the
 * order id) over a range of days. The cursor names the last row returned, so a page is the same
 * whatever was written after the previous one.
 */
final class OrderIndexQuery {

  private final CqlSession session;
  private final PreparedStatement first;
  private final PreparedStatement after;

  OrderIndexQuery(CqlSession session, String table, String keyColumn, String timeColumn) {
    this.session = session;
    String select = "SELECT * FROM " + table + " WHERE " + keyColumn + " = ? AND day = ?";
    this.first = session.prepare(select + " LIMIT ?");
    this.after = session.prepare(select + " AND (" + timeColumn + ", order_id) > (?, ?) LIMIT ?");
  }

  CompletionStage<Page<IndexedOrder>> page(String key, LocalDate from, LocalDate to, String cursor, int limit) {
    Cursor start = cursor == null ? new Cursor(from, null, null) : Cursor.parse(cursor);
    if (start.day().isBefore(from)) {
      start = new Cursor(from, null, null);
    }
    return collect(key, start, to, limit, new ArrayList<>());
  }

  private CompletionStage<Page<IndexedOrder>> collect(String key, Cursor at, LocalDate to, int limit,
      List<IndexedOrder> rows) {
    if (at.day().isAfter(to)) {
      return CompletableFuture.completedFuture(new Page<>(rows, null));
    }
    int wanted = limit - rows.size();
    var statement = at.time() == null ? first.bind(key, at.day(), wanted)
        : after.bind(key, at.day(), at.time(), at.orderId(), wanted);
    return session.executeAsync(statement).thenCompose(rs -> {
      Instant lastTime = null;
      String lastId = null;
      int got = 0;
      for (Row row : rs.currentPage()) {
        IndexedOrder order = order(row);
        rows.add(order);
        lastTime = row.getInstant(timeColumnOf(row));
        lastId = order.orderId();
        got++;
      }
      if (rows.size() >= limit) {
        return CompletableFuture.completedFuture(new Page<>(rows,
            got == wanted ? new Cursor(at.day(), lastTime, lastId).encode() : new Cursor(at.day().plusDays(1), null,
                null).encode()));
      }
      return collect(key, new Cursor(at.day().plusDays(1), null, null), to, limit, rows);
    });
  }

  private static String timeColumnOf(Row row) {
    return row.getColumnDefinitions().contains("status_at") ? "status_at" : "created_at";
  }

  private static IndexedOrder order(Row r) {
    var columns = r.getColumnDefinitions();
    return new IndexedOrder(r.getString("order_id"),
        columns.contains("channel_id") ? r.getString("channel_id") : null,
        r.getString("client_order_no"),
        columns.contains("sku_id") ? r.getString("sku_id") : null,
        r.getInt("quantity"),
        columns.contains("status") ? r.getString("status") : null,
        r.getLong("amount"), r.getString("currency"), r.getInstant("created_at"),
        columns.contains("status_at") ? r.getInstant("status_at") : null);
  }

  /** Where a page starts: after (time, orderId) on {@code day}, or at the day's start when time is null. */
  record Cursor(LocalDate day, Instant time, String orderId) {

    String encode() {
      String text = day + "|" + (time == null ? "" : time.toEpochMilli()) + "|" + (orderId == null ? "" : orderId);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(String encoded) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        String[] parts = text.split("\\|", 3);
        LocalDate day = LocalDate.parse(parts[0]);
        if (parts[1].isEmpty()) {
          return new Cursor(day, null, null);
        }
        return new Cursor(day, Instant.ofEpochMilli(Long.parseLong(parts[1])), parts[2]);
      } catch (RuntimeException e) {
        throw new InvalidCursor();
      }
    }
  }
}
