package com.quanyi.node.projection;

import com.quanyi.http.channel.ChannelService;
import com.quanyi.http.reporting.ReportingService;
import com.quanyi.node.redemption.RedemptionReports;
import com.quanyi.node.settlement.SettlementReports;
import com.quanyi.persistence.redemption.CodeLineStore;
import com.quanyi.persistence.reporting.AccountReportStore;
import com.quanyi.persistence.reporting.InventoryReportStore;
import com.quanyi.persistence.reporting.OrderReportStore;
import com.quanyi.persistence.reporting.SalesRow;
import com.quanyi.persistence.reporting.SettlementStore;
import com.quanyi.persistence.reporting.SkuReport;
import com.quanyi.persistence.reporting.Stages;
import com.quanyi.protocol.reporting.AccountEntry;
import com.quanyi.protocol.reporting.BatchReport;
import com.quanyi.protocol.reporting.CommissionEntry;
import com.quanyi.protocol.reporting.IndexedOrder;
import com.quanyi.protocol.reporting.Page;
import com.quanyi.protocol.reporting.SupplierDayRow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;

/** The reports, read from the projections' tables a page (or a day) at a time. */
public final class ReportingDesk implements ReportingService {

  /** Rows one read of an export fetches: what an export holds at most, whatever its size. */
  static final int EXPORT_PAGE = 1_000;

  private final OrderReportStore orders;
  private final InventoryReportStore inventory;
  private final AccountReportStore accounts;
  private final ProjectionControl control;
  private final LedgerChecker checker;
  private final Materializer materializer;
  private final SettlementReports settlement;
  private final RedemptionReports redemptions;

  public ReportingDesk(ActorSystem<?> system, OrderReportStore orders, InventoryReportStore inventory,
      AccountReportStore accounts, ProjectionControl control, LedgerChecker checker, SettlementStore settlements,
      CodeLineStore codeLines, Duration askTimeout) {
    this.settlement = new SettlementReports(system, settlements, orders.days(), askTimeout);
    this.redemptions = new RedemptionReports(codeLines);
    this.materializer = Materializer.matFromSystem(system);
    this.orders = orders;
    this.inventory = inventory;
    this.accounts = accounts;
    this.control = control;
    this.checker = checker;
  }

  @Override
  public CompletionStage<RedemptionReport> redemptions(LocalDate from, LocalDate to, String skuId, String batchId) {
    return redemptions.report(from, to, skuId, batchId);
  }

  @Override
  public CompletionStage<List<ChannelNode>> channelTree() {
    return accounts.channels().thenApply(ChannelTree::ordered);
  }

  @Override
  public CompletionStage<CommissionRulesInfo> commissionRules() {
    return settlement.rules();
  }

  @Override
  public CompletionStage<ChannelService.Outcome<CommissionRulesInfo>> setCommissionRules(CommissionRulesUpdate update,
      String actor) {
    return settlement.setRules(update, actor);
  }

  @Override
  public CompletionStage<SettlementStatement> settlement(String channelId, Period period, LocalDate from,
      LocalDate to) {
    return settlement.statement(channelId, period, from, to);
  }

  @Override
  public Source<CommissionEntry, NotUsed> commissionLines(String channelId, LocalDate from, LocalDate to) {
    return settlement.lines(channelId, from, to);
  }

  @Override
  public Source<SalesLine, NotUsed> sales(LocalDate from, LocalDate to, Set<GroupBy> groupBy, String skuId,
      String channelId) {
    Predicate<SalesRow> wanted = r -> (skuId == null || skuId.equals(r.skuId()))
        && (channelId == null || channelId.equals(r.channelId()));
    Source<List<SalesRow>, NotUsed> byDays = Source.from(() -> days(from, to).iterator())
        .mapAsync(1, orders::salesOn)
        .map(lines -> lines.stream().filter(wanted).toList());
    if (groupBy.contains(GroupBy.DAY)) {
      // A day at a time: memory holds one day's lines.
      return byDays.mapConcat(lines -> regroup(lines, groupBy).values().stream().map(ReportingDesk::line).toList());
    }
    // Over the range: memory holds one entry per group (SKU, channel), never one per day or order.
    return byDays.fold(new LinkedHashMap<String, SalesRow>(), (groups, lines) -> {
      regroup(lines, groupBy).forEach((key, row) -> groups.merge(key, row, SalesRow::plus));
      return groups;
    }).mapConcat(groups -> groups.values().stream().map(ReportingDesk::line).toList());
  }

  /** Lines summed by the dimensions grouped by (the others null). */
  private static Map<String, SalesRow> regroup(List<SalesRow> lines, Set<GroupBy> groupBy) {
    Map<String, SalesRow> groups = new LinkedHashMap<>();
    for (SalesRow r : lines) {
      SalesRow keyed = r.as(groupBy.contains(GroupBy.DAY) ? r.day() : null,
          groupBy.contains(GroupBy.SKU) ? r.skuId() : null, groupBy.contains(GroupBy.CHANNEL) ? r.channelId() : null);
      groups.merge(keyed.day() + "|" + keyed.skuId() + "|" + keyed.channelId(), keyed, SalesRow::plus);
    }
    return groups;
  }

  @Override
  public CompletionStage<Page<IndexedOrder>> orders(OrderFilter filter, String value, LocalDate from, LocalDate to,
      String after, int limit) {
    return switch (filter) {
      case CHANNEL -> orders.ordersByChannel(value, from, to, after, limit);
      case STATUS -> orders.ordersByStatus(value, from, to, after, limit);
      case SKU -> orders.ordersBySku(value, from, to, after, limit);
    };
  }

  @Override
  public Source<IndexedOrder, NotUsed> allOrders(OrderFilter filter, String value, LocalDate from, LocalDate to) {
    return Stages.pages(after -> orders(filter, value, from, to, after, EXPORT_PAGE));
  }

  @Override
  public CompletionStage<List<SkuStock>> inventory(boolean lowOnly) {
    return inventory.skus().thenApply(skus -> skus.stream()
        .filter(s -> !lowOnly || s.lowSince() != null)
        .map(ReportingDesk::stock)
        .toList());
  }

  @Override
  public CompletionStage<SupplierStatement> suppliers(LocalDate from, LocalDate to, String supplierId) {
    List<CompletionStage<List<SupplierDayRow>>> topups = new ArrayList<>();
    List<CompletionStage<List<BatchReport>>> batches = new ArrayList<>();
    days(from, to).forEach(day -> {
      topups.add(orders.suppliersOn(day));
      batches.add(inventory.batchesAddedOn(day));
    });
    return Stages.sequence(topups).thenCombine(Stages.sequence(batches), (t, b) ->
        new SupplierStatement(from, to,
            t.stream().flatMap(List::stream).filter(r -> supplierId == null || supplierId.equals(r.supplierId()))
                .toList(),
            b.stream().flatMap(List::stream).filter(r -> supplierId == null || supplierId.equals(r.supplierId()))
                .toList()));
  }

  @Override
  public CompletionStage<AccountSummary> statement(String channelId, LocalDate from, LocalDate to, String after,
      int limit) {
    return accounts.channel(channelId).thenCompose(channel -> {
      if (channel.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      Instant start = orders.days().startOf(from);
      Instant end = orders.days().startOf(to.plusDays(1));
      // Opening balance and the period's totals: one streamed pass over the channel's lines.
      long[] sums = new long[6]; // opening, deposits, debits, refunds, closing, entries
      return Stages.pages((String cursor) -> accounts.entries(channelId, cursor, EXPORT_PAGE))
          .takeWhile(e -> e.at().isBefore(end))
          .runForeach(e -> {
            if (e.at().isBefore(start)) {
              sums[0] = e.balance();
              sums[4] = e.balance();
              return;
            }
            switch (e.kind()) {
              case AccountReportLogic.DEPOSIT -> sums[1] += e.amount();
              case AccountReportLogic.DEBIT -> sums[2] += e.amount();
              default -> sums[3] += e.amount();
            }
            sums[4] = e.balance();
            sums[5]++;
          }, materializer)
          .thenCompose(done -> statementPage(channelId, start, end, after, limit))
          .thenApply(page -> new AccountSummary(channelId, from, to, sums[0], sums[1], sums[2], sums[3], sums[4],
              sums[5], channel.get().currency(), page));
    });
  }

  @Override
  public Source<AccountEntry, NotUsed> statementLines(String channelId, LocalDate from, LocalDate to) {
    Instant start = orders.days().startOf(from);
    Instant end = orders.days().startOf(to.plusDays(1));
    return Stages.pages((String cursor) -> accounts.entries(channelId, cursor, EXPORT_PAGE))
        .takeWhile(e -> e.at().isBefore(end))
        .filter(e -> !e.at().isBefore(start));
  }

  @Override
  public CompletionStage<LedgerCheck> ledgerCheck() {
    return checker.check();
  }

  @Override
  public CompletionStage<List<ProjectionInfo>> projections() {
    return control.all();
  }

  @Override
  public CompletionStage<Optional<ProjectionInfo>> control(String projection, String action, String actor) {
    return control.control(projection, action, actor);
  }

  /** A page of the lines within [start, end), skipping pages of older lines. */
  private CompletionStage<Page<AccountEntry>> statementPage(String channelId, Instant start, Instant end,
      String after, int limit) {
    return accounts.entries(channelId, after, limit).thenCompose(page -> {
      List<AccountEntry> inRange = page.rows().stream()
          .filter(e -> !e.at().isBefore(start) && e.at().isBefore(end)).toList();
      boolean pastEnd = page.rows().stream().anyMatch(e -> !e.at().isBefore(end));
      if (inRange.isEmpty() && page.next() != null && !pastEnd) {
        return statementPage(channelId, start, end, page.next(), limit);
      }
      return CompletableFuture.completedFuture(new Page<>(inRange, pastEnd ? null : page.next()));
    });
  }

  static Stream<LocalDate> days(LocalDate from, LocalDate to) {
    return from.datesUntil(to.plusDays(1));
  }

  private static SalesLine line(SalesRow r) {
    return new SalesLine(r.day(), r.skuId(), r.channelId(), r.orders(), r.units(), r.revenue(), r.cost(), r.refunds(),
        r.refundedOrders(), r.margin(), r.currency());
  }

  private static SkuStock stock(SkuReport s) {
    return new SkuStock(s.skuId(), s.name(), s.kind(), s.available(), s.allocated(), s.frozen(), s.threshold(),
        s.lowSince(), s.batches());
  }
}
