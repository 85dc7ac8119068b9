package com.quanyi.node.projection;

import com.quanyi.http.channel.ChannelService;
import com.quanyi.http.reporting.ReportingService;
import com.quanyi.protocol.reporting.AccountEntry;
import com.quanyi.protocol.reporting.CommissionEntry;
import com.quanyi.protocol.reporting.IndexedOrder;
import com.quanyi.protocol.reporting.Page;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The reports as the HTTP API sees them from its start: the API binds before Cassandra's session
 * exists, and serves (the node's readiness gate) only once {@link #started} handed it the reads.
 */
public final class ReportingDesk implements ReportingService {

  private volatile ReportingService reads;

  public void started(ReportingService value) {
    this.reads = value;
  }

  private ReportingService reads() {
    ReportingService current = reads;
    if (current == null) {
      throw new IllegalStateException("the reports are not started yet");
    }
    return current;
  }

  @Override
  public CompletionStage<CommissionRulesInfo> commissionRules() {
    return reads().commissionRules();
  }

  @Override
  public CompletionStage<ChannelService.Outcome<CommissionRulesInfo>> setCommissionRules(
      CommissionRulesUpdate update, String actor) {
    return reads().setCommissionRules(update, actor);
  }

  @Override
  public CompletionStage<SettlementStatement> settlement(String channelId, Period period, LocalDate from,
      LocalDate to) {
    return reads().settlement(channelId, period, from, to);
  }

  @Override
  public Source<CommissionEntry, NotUsed> commissionLines(String channelId,
      LocalDate from, LocalDate to) {
    return reads().commissionLines(channelId, from, to);
  }

  @Override
  public Source<SalesLine, NotUsed> sales(LocalDate from, LocalDate to, Set<GroupBy> groupBy, String skuId,
      String channelId) {
    return reads().sales(from, to, groupBy, skuId, channelId);
  }

  @Override
  public CompletionStage<Page<IndexedOrder>> orders(OrderFilter filter, String value, LocalDate from, LocalDate to,
      String after, int limit) {
    return reads().orders(filter, value, from, to, after, limit);
  }

  @Override
  public Source<IndexedOrder, NotUsed> allOrders(OrderFilter filter, String value, LocalDate from, LocalDate to) {
    return reads().allOrders(filter, value, from, to);
  }

  @Override
  public CompletionStage<List<SkuStock>> inventory(boolean lowOnly) {
    return reads().inventory(lowOnly);
  }

  @Override
  public CompletionStage<SupplierStatement> suppliers(LocalDate from, LocalDate to, String supplierId) {
    return reads().suppliers(from, to, supplierId);
  }

  @Override
  public CompletionStage<AccountSummary> statement(String channelId, LocalDate from, LocalDate to, String after,
      int limit) {
    return reads().statement(channelId, from, to, after, limit);
  }

  @Override
  public Source<AccountEntry, NotUsed> statementLines(String channelId, LocalDate from, LocalDate to) {
    return reads().statementLines(channelId, from, to);
  }

  @Override
  public CompletionStage<LedgerCheck> ledgerCheck() {
    return reads().ledgerCheck();
  }

  @Override
  public CompletionStage<List<ProjectionInfo>> projections() {
    return reads().projections();
  }

  @Override
  public CompletionStage<Optional<ProjectionInfo>> control(String projection, String action, String actor) {
    return reads().control(projection, action, actor);
  }
}
