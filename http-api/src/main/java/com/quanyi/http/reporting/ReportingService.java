package com.quanyi.http.reporting;

import com.quanyi.http.channel.ChannelService;
import com.quanyi.protocol.commission.CommissionRule;
import com.quanyi.protocol.commission.CommissionRuleSet;
import com.quanyi.protocol.reporting.AccountEntry;
import com.quanyi.protocol.reporting.CommissionEntry;
import com.quanyi.protocol.reporting.BatchReport;
import com.quanyi.protocol.reporting.IndexedOrder;
import com.quanyi.protocol.reporting.Page;
import com.quanyi.protocol.reporting.SupplierDayRow;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Finance's and auditors' reads, all from the reporting projections' tables (never from the
 * entities), and the projections' controls; implemented by the node. Large reports are sources,
 * read a page at a time, so an export never holds more than a page.
 */
public interface ReportingService {

  enum GroupBy { DAY, SKU, CHANNEL }

  /** A sales ledger line; a dimension not grouped by is null. Minor units. */
  record SalesLine(LocalDate day, String skuId, String channelId, long orders, long units, long revenue, long cost,
      long refunds, long refundedOrders, long margin, String currency) {}

  enum OrderFilter { CHANNEL, STATUS, SKU }

  record SkuStock(String skuId, String name, String kind, long available, long allocated, long frozen, long threshold,
      Instant lowSince, List<BatchReport> batches) {}

  record SupplierStatement(LocalDate from, LocalDate to, List<SupplierDayRow> days, List<BatchReport> batchesImported) {}

  /** A channel's statement over a period: its lines are read separately (paged or exported). */
  record AccountSummary(String channelId, LocalDate from, LocalDate to, long opening, long deposits, long debits,
      long refunds, long closing, long entries, String currency, Page<AccountEntry> page) {}

  /** One difference the ledger check found. */
  record Difference(String kind, String id, String what, long expected, long actual) {}

  record LedgerCheck(boolean consistent, int channels, int skus, List<Difference> differences, Instant checkedAt,
      long maxLagMillis) {}

  record InstanceInfo(String tag, boolean paused, long events, Instant lastEventAt, Instant lastProcessedAt,
      long lagMillis, String lastError, Instant errorAt, String node) {}

  record ProjectionInfo(String name, List<String> tables, List<InstanceInfo> instances) {}

  /** Body of {@code PUT /admin/v1/commission/rules}: every rule, against the version read (null: any). */
  record CommissionRulesUpdate(Long expectedVersion, List<CommissionRule> rules) {}

  /** The rules in force and every version before, oldest first. */
  record CommissionRulesInfo(long version, List<CommissionRule> rules, String changedBy, Instant since,
      List<CommissionRuleSet> history) {}

  enum Period { DAY, WEEK, MONTH }

  /** One period of a settlement statement: [start, end] inclusive. */
  record SettlementPeriod(LocalDate start, LocalDate end, long opening, long accruals, long reversals, long closing) {}

  /** A channel's commission over [from, to]: opening balance, each period, closing balance. Minor units. */
  record SettlementStatement(String channelId, Period period, LocalDate from, LocalDate to, long opening,
      long accruals, long reversals, long closing, String currency, List<SettlementPeriod> periods) {}

  /** A channel where it sits in the channel tree, with its balance as the accounts projection has it. Minor units. */
  record ChannelNode(String channelId, String name, String parentId, int depth, long balance, String currency) {}

  /** Every channel in tree order: each parent before its children, siblings by id. */
  CompletionStage<List<ChannelNode>> channelTree();

  /**
   * Codes delivered over a range of days and what became of them (however late): per SKU, batch and
   * channel, codes delivered, codes redeemed (used up), the rate, the amount and number of uses, and
   * the average time from delivery to the use that used a code up. Minor units.
   */
  record RedemptionLine(String skuId, String batchId, String channelId, long delivered, long redeemed, double rate,
      long amountRedeemed, long uses, Long averageSecondsToRedeem, String currency) {}

  /** One redemption, for a batch's list (a leaked batch: which of its codes were used, by whom). */
  record RedemptionEntry(String redemptionId, String orderId, String channelId, String verifierId, String place,
      Instant deliveredAt, Instant redeemedAt, long amount, boolean usedUp, String currency) {}

  /** {@code redemptions}: listed only for one batch (null otherwise). */
  record RedemptionReport(LocalDate from, LocalDate to, List<RedemptionLine> lines, List<RedemptionEntry> redemptions) {}

  CompletionStage<RedemptionReport> redemptions(LocalDate from, LocalDate to, String skuId, String batchId);

  CompletionStage<CommissionRulesInfo> commissionRules();

  CompletionStage<ChannelService.Outcome<CommissionRulesInfo>> setCommissionRules(CommissionRulesUpdate update,
      String actor);

  CompletionStage<SettlementStatement> settlement(String channelId, Period period, LocalDate from, LocalDate to);

  Source<CommissionEntry, NotUsed> commissionLines(String channelId, LocalDate from, LocalDate to);

  Source<SalesLine, NotUsed> sales(LocalDate from, LocalDate to, Set<GroupBy> groupBy, String skuId, String channelId);

  CompletionStage<Page<IndexedOrder>> orders(OrderFilter filter, String value, LocalDate from, LocalDate to,
      String after, int limit);

  Source<IndexedOrder, NotUsed> allOrders(OrderFilter filter, String value, LocalDate from, LocalDate to);

  CompletionStage<List<SkuStock>> inventory(boolean lowOnly);

  CompletionStage<SupplierStatement> suppliers(LocalDate from, LocalDate to, String supplierId);

  /** Null when the channel is unknown to the reports. */
  CompletionStage<AccountSummary> statement(String channelId, LocalDate from, LocalDate to, String after, int limit);

  Source<AccountEntry, NotUsed> statementLines(String channelId, LocalDate from, LocalDate to);

  CompletionStage<LedgerCheck> ledgerCheck();

  CompletionStage<List<ProjectionInfo>> projections();

  /** Empty when no projection has that name. */
  CompletionStage<java.util.Optional<ProjectionInfo>> control(String projection, String action, String actor);
}
