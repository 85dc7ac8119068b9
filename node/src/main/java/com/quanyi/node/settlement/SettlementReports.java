package com.quanyi.node.settlement;

import com.quanyi.node.Replies;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.channel.ChannelService;
import com.quanyi.http.reporting.ReportingService.CommissionRulesInfo;
import com.quanyi.http.reporting.ReportingService.CommissionRulesUpdate;
import com.quanyi.http.reporting.ReportingService.Period;
import com.quanyi.http.reporting.ReportingService.SettlementPeriod;
import com.quanyi.http.reporting.ReportingService.SettlementStatement;
import com.quanyi.persistence.reporting.ReportDays;
import com.quanyi.persistence.reporting.SettlementStore;
import com.quanyi.persistence.reporting.Stages;
import com.quanyi.protocol.commission.CommissionBookProtocol;
import com.quanyi.protocol.commission.CommissionBookProtocol.History;
import com.quanyi.protocol.commission.CommissionBookProtocol.Reply;
import com.quanyi.protocol.commission.CommissionBookProtocol.RulesSet;
import com.quanyi.protocol.commission.CommissionRuleSet;
import com.quanyi.protocol.reporting.CommissionEntry;
import java.util.concurrent.Executor;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Commission rules (read, replace) and settlement statements: a channel's commission lines folded
 * into periods (day, ISO week, month) with opening and closing balances, read a page at a time.
 */
public final class SettlementReports {

  private static final int PAGE = 1_000;

  private final SettlementStore store;
  private final ReportDays days;
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final Duration askTimeout;
  private final Materializer materializer;

  public SettlementReports(ActorSystem<?> system, SettlementStore store, ReportDays days, Duration askTimeout) {
    this.store = store;
    this.days = days;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
    this.materializer = Materializer.matFromSystem(system);
  }

  public CompletionStage<CommissionRulesInfo> rules() {
    return Replies.on(dispatcher, book().<History>ask(CommissionBookProtocol.GetHistory::new, askTimeout)).thenApply(SettlementReports::info);
  }

  public CompletionStage<ChannelService.Outcome<CommissionRulesInfo>> setRules(CommissionRulesUpdate update,
      String actor) {
    if (update.rules() == null) {
      return CompletableFuture.completedFuture(new ChannelService.Refused<>(ProblemCode.INVALID_REQUEST,
          "rules is required (an empty list removes every rule)"));
    }
    try {
      new CommissionRuleSet(1, update.rules(), actor, Instant.EPOCH);
    } catch (IllegalArgumentException | NullPointerException invalid) {
      return CompletableFuture.completedFuture(new ChannelService.Refused<>(ProblemCode.INVALID_REQUEST,
          invalid.getMessage()));
    }
    return Replies.on(dispatcher, book().<Reply>ask(r -> new CommissionBookProtocol.SetRules(update.expectedVersion(), update.rules(), actor, r),
            askTimeout))
        .thenCompose(reply -> {
          if (reply instanceof RulesSet) {
            return rules().thenApply(info -> (ChannelService.Outcome<CommissionRulesInfo>) new ChannelService.Done<>(info));
          }
          long current = ((CommissionBookProtocol.VersionConflict) reply).current();
          return CompletableFuture.completedFuture(new ChannelService.Refused<>(ProblemCode.VERSION_CONFLICT,
              "the rules are at version " + current + "; read them again and resend"));
        });
  }

  public Source<CommissionEntry, NotUsed> lines(String channelId, LocalDate from, LocalDate to) {
    Instant start = days.startOf(from);
    Instant end = days.startOf(to.plusDays(1));
    return Stages.pages(after -> store.entries(channelId, after, PAGE))
        .takeWhile(e -> e.at().isBefore(end))
        .filter(e -> !e.at().isBefore(start));
  }

  public CompletionStage<SettlementStatement> statement(String channelId, Period period, LocalDate from, LocalDate to) {
    Instant start = days.startOf(from);
    Instant end = days.startOf(to.plusDays(1));
    long[] opening = new long[1];
    String[] currency = new String[1];
    TreeMap<LocalDate, long[]> byPeriod = new TreeMap<>();
    for (LocalDate p = periodStart(from, period); !p.isAfter(to); p = next(p, period)) {
      byPeriod.put(p, new long[2]);
    }
    return Stages.pages(after -> store.entries(channelId, after, PAGE))
        .takeWhile(e -> e.at().isBefore(end))
        .runForeach(e -> {
          long signed = CommissionEntry.ACCRUAL.equals(e.kind()) ? e.amount() : -e.amount();
          currency[0] = e.currency();
          if (e.at().isBefore(start)) {
            opening[0] += signed;
            return;
          }
          long[] sums = byPeriod.get(periodStart(days.dayOf(e.at()), period));
          sums[signed >= 0 ? 0 : 1] += Math.abs(signed);
        }, materializer)
        .thenApply(done -> {
          List<SettlementPeriod> periods = new ArrayList<>();
          long balance = opening[0];
          long accruals = 0;
          long reversals = 0;
          for (var p : byPeriod.entrySet()) {
            LocalDate first = p.getKey().isBefore(from) ? from : p.getKey();
            LocalDate last = next(p.getKey(), period).minusDays(1);
            long open = balance;
            balance += p.getValue()[0] - p.getValue()[1];
            accruals += p.getValue()[0];
            reversals += p.getValue()[1];
            periods.add(new SettlementPeriod(first, last.isAfter(to) ? to : last, open, p.getValue()[0],
                p.getValue()[1], balance));
          }
          return new SettlementStatement(channelId, period, from, to, opening[0], accruals, reversals, balance,
              currency[0], periods);
        });
  }

  static LocalDate periodStart(LocalDate day, Period period) {
    return switch (period) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
    };
  }

  private static LocalDate next(LocalDate periodStart, Period period) {
    return switch (period) {
      case DAY -> periodStart.plusDays(1);
      case WEEK -> periodStart.plusWeeks(1);
      case MONTH -> periodStart.plusMonths(1);
    };
  }

  private EntityRef<CommissionBookProtocol.Command> book() {
    return sharding.entityRefFor(CommissionBookProtocol.TYPE_KEY, CommissionBookProtocol.ENTITY_ID);
  }

  private static CommissionRulesInfo info(History history) {
    CommissionRuleSet current = history.versions().isEmpty() ? CommissionRuleSet.initial()
        : history.versions().get(history.versions().size() - 1);
    return new CommissionRulesInfo(current.version(), current.rules(), current.changedBy(), current.since(),
        history.versions());
  }
}
