package com.quanyi.persistence.reporting;

import com.quanyi.protocol.reporting.Page;
import com.quanyi.protocol.reporting.AccountEntry;
import com.quanyi.protocol.reporting.InvalidCursor;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The account projection's tables: the channels (tree and totals) and every account entry with its
 * running balance. An event's entries are written first (the same values however often they are
 * written), then the channel row with the event's sequence number: the channel row is what says
 * the event was applied.
 */
public final class AccountReportStore {

  private static final int ENTRIES_PER_BATCH = 100;

  private final CqlSession session;
  private final PreparedStatement selectChannel;
  private final PreparedStatement selectChannels;
  private final PreparedStatement upsertChannel;
  private final PreparedStatement insertEntry;
  private final PreparedStatement firstEntries;
  private final PreparedStatement entriesAfter;

  public AccountReportStore(CqlSession session, String keyspace) {
    this.session = session;
    String ks = keyspace + ".";
    selectChannel = session.prepare("SELECT * FROM " + ks + "report_channels WHERE channel_id = ?");
    selectChannels = session.prepare("SELECT * FROM " + ks + "report_channels");
    upsertChannel = session.prepare("INSERT INTO " + ks + "report_channels (channel_id, seq, name, parent_id, depth, "
        + "currency, deposited, debited, refunded, balance, entry_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertEntry = session.prepare("INSERT INTO " + ks + "account_entries (channel_id, seq, idx, at, kind, reference, "
        + "sku_id, units, amount, balance, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    firstEntries = session.prepare("SELECT * FROM " + ks + "account_entries WHERE channel_id = ? LIMIT ?");
    entriesAfter = session.prepare("SELECT * FROM " + ks + "account_entries WHERE channel_id = ? AND (seq, idx) > (?, ?) "
        + "LIMIT ?");
  }

  public static List<String> tables() {
    return List.of("report_channels", "account_entries");
  }

  public CompletionStage<Optional<ChannelReport>> channel(String channelId) {
    return session.executeAsync(selectChannel.bind(channelId))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(AccountReportStore::channel));
  }

  /** Every channel (a directory of partners, not a stream). */
  public CompletionStage<List<ChannelReport>> channels() {
    return Stages.allRows(session.executeAsync(selectChannels.bind()), new ArrayList<>(),
        AccountReportStore::channel);
  }

  /**
   * The entries first, then the channel's row that says they were applied. An event's entries (a
   * whole debit group's) share the channel's partition, so they go as single-partition batches of
   * at most {@link #ENTRIES_PER_BATCH} (well below Cassandra's batch size limits): one mutation
   * each for Cassandra, where one statement per entry was one mutation per order.
   */
  public CompletionStage<Void> write(ChannelReport channel, List<AccountEntry> entries) {
    List<CompletionStage<?>> writes = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += ENTRIES_PER_BATCH) {
      BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
      for (AccountEntry e : entries.subList(from, Math.min(entries.size(), from + ENTRIES_PER_BATCH))) {
        batch.addStatement(insertEntry.bind(e.channelId(), e.seq(), e.idx(), e.at(), e.kind(),
            e.reference(), e.skuId(), e.units(), e.amount(), e.balance(), e.currency()));
      }
      writes.add(session.executeAsync(batch.build()));
    }
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (CompletionStage<?> write : writes) {
      all = all.thenCombine(write, (a, b) -> null);
    }
    return all.thenCompose(done -> session.executeAsync(upsertChannel.bind(channel.channelId(), channel.seq(),
        channel.name(), channel.parentId(), channel.depth(), channel.currency(), channel.deposited(), channel.debited(),
        channel.refunded(), channel.balance(), channel.entries()))).thenApply(rs -> null);
  }

  /** A page of a channel's entries, oldest first, after the cursor a previous page returned. */
  public CompletionStage<Page<AccountEntry>> entries(String channelId, String after, int limit) {
    var statement = after == null ? firstEntries.bind(channelId, limit) : entriesAfter(channelId, after, limit);
    return session.executeAsync(statement).thenApply(rs -> {
      List<AccountEntry> rows = new ArrayList<>();
      for (Row r : rs.currentPage()) {
        rows.add(new AccountEntry(channelId, r.getLong("seq"), r.getInt("idx"), r.getInstant("at"), r.getString("kind"),
            r.getString("reference"), r.getString("sku_id"), r.getInt("units"), r.getLong("amount"),
            r.getLong("balance"), r.getString("currency")));
      }
      String next = null;
      if (rows.size() == limit) {
        AccountEntry last = rows.get(rows.size() - 1);
        next = Base64.getUrlEncoder().withoutPadding()
            .encodeToString((last.seq() + ":" + last.idx()).getBytes(StandardCharsets.UTF_8));
      }
      return new Page<>(rows, next);
    });
  }

  private com.datastax.oss.driver.api.core.cql.BoundStatement entriesAfter(String channelId, String cursor, int limit) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
      return entriesAfter.bind(channelId, Long.parseLong(parts[0]), Integer.parseInt(parts[1]), limit);
    } catch (RuntimeException e) {
      throw new InvalidCursor();
    }
  }

  private static ChannelReport channel(Row r) {
    return new ChannelReport(r.getString("channel_id"), r.getLong("seq"), r.getString("name"), r.getString("parent_id"),
        r.getInt("depth"), r.getString("currency"), r.getLong("deposited"), r.getLong("debited"),
        r.getLong("refunded"), r.getLong("balance"), r.getLong("entry_count"));
  }
}
