package com.quanyi.node.projection;

import com.quanyi.http.reporting.ReportingService.Difference;
import com.quanyi.http.reporting.ReportingService.LedgerCheck;
import com.quanyi.persistence.reporting.AccountReportStore;
import com.quanyi.persistence.reporting.ChannelReport;
import com.quanyi.persistence.reporting.InventoryReportStore;
import com.quanyi.persistence.reporting.OrderReportStore;
import com.quanyi.persistence.reporting.SalesRow;
import com.quanyi.persistence.reporting.SkuReport;
import com.quanyi.persistence.reporting.Stages;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/**
 * Checks the books against each other, from three projections of three different journals:
 * <ul>
 *   <li>every channel: deposits − debits + refunds = balance (the account statement adds up);</li>
 *   <li>every channel: what its account was charged net of refunds = what the sales ledger says
 *       its orders were charged net of refunds (account events vs order events);</li>
 *   <li>every SKU: units the sales ledger says were delivered = units the inventory says are
 *       allocated and not given back (order events vs SKU events).</li>
 * </ul>
 * The projections run independently, so orders in flight, or one projection behind another, show
 * as differences until they settle: the answer carries the projections' largest lag.
 */
public final class LedgerChecker {

  private final OrderReportStore orders;
  private final InventoryReportStore inventory;
  private final AccountReportStore accounts;
  private final ProjectionControl control;
  private final LocalDate since;
  private final Clock clock;

  public LedgerChecker(OrderReportStore orders, InventoryReportStore inventory, AccountReportStore accounts,
      ProjectionControl control, LocalDate since, Clock clock) {
    this.orders = orders;
    this.inventory = inventory;
    this.accounts = accounts;
    this.control = control;
    this.since = since;
    this.clock = clock;
  }

  public CompletionStage<LedgerCheck> check() {
    LocalDate today = orders.days().dayOf(clock.instant());
    List<CompletionStage<List<SalesRow>>> days = new ArrayList<>();
    ReportingDesk.days(since, today.plusDays(1)).forEach(day -> days.add(orders.salesOn(day)));
    CompletionStage<List<SalesRow>> sales = Stages.sequence(days)
        .thenApply(all -> all.stream().flatMap(List::stream).toList());
    CompletionStage<Long> lag = control.all().thenApply(all -> all.stream()
        .flatMap(p -> p.instances().stream()).mapToLong(i -> i.lagMillis()).max().orElse(0));
    return sales.thenCompose(lines -> accounts.channels().thenCompose(channels -> inventory.skus()
        .thenCombine(lag, (skus, maxLag) -> compare(lines, channels, skus, maxLag))));
  }

  private LedgerCheck compare(List<SalesRow> sales, List<ChannelReport> channels, List<SkuReport> skus, long maxLag) {
    List<Difference> differences = new ArrayList<>();
    Map<String, Long> netSpend = new HashMap<>();
    Map<String, Long> delivered = new HashMap<>();
    for (SalesRow line : sales) {
      netSpend.merge(line.channelId(), line.revenue() - line.refunds(), Long::sum);
      delivered.merge(line.skuId(), line.units(), Long::sum);
    }
    TreeSet<String> channelIds = new TreeSet<>(netSpend.keySet());
    Map<String, ChannelReport> byId = new HashMap<>();
    channels.forEach(c -> {
      byId.put(c.channelId(), c);
      channelIds.add(c.channelId());
    });
    for (String id : channelIds) {
      ChannelReport c = byId.getOrDefault(id, ChannelReport.unknown(id));
      long expectedBalance = c.deposited() - c.debited() + c.refunded();
      if (expectedBalance != c.balance()) {
        differences.add(new Difference("CHANNEL", id, "deposits - debits + refunds = balance", expectedBalance,
            c.balance()));
      }
      long accountNet = c.debited() - c.refunded();
      long ordersNet = netSpend.getOrDefault(id, 0L);
      if (accountNet != ordersNet) {
        differences.add(new Difference("CHANNEL", id, "account debits - refunds = orders charged - refunded",
            accountNet, ordersNet));
      }
    }
    TreeSet<String> skuIds = new TreeSet<>(delivered.keySet());
    Map<String, SkuReport> skuById = new HashMap<>();
    skus.forEach(s -> {
      skuById.put(s.skuId(), s);
      skuIds.add(s.skuId());
    });
    for (String id : skuIds) {
      SkuReport s = skuById.get(id);
      long allocated = s == null ? 0 : s.allocated();
      long units = delivered.getOrDefault(id, 0L);
      // Neither a top-up nor a bundle holds units of its own (a bundle's parts are counted at their SKUs).
      boolean noStock = s != null && ("DIRECT_TOPUP".equals(s.kind()) || "BUNDLE".equals(s.kind()));
      if (!noStock && allocated != units) {
        differences.add(new Difference("SKU", id, "allocated units = delivered units", allocated, units));
      }
    }
    return new LedgerCheck(differences.isEmpty(), channelIds.size(), skuIds.size(), differences, clock.instant(),
        maxLag);
  }
}
