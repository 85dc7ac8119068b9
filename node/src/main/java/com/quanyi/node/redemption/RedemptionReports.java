package com.quanyi.node.redemption;

import com.quanyi.http.reporting.ReportingService.RedemptionEntry;
import com.quanyi.http.reporting.ReportingService.RedemptionLine;
import com.quanyi.http.reporting.ReportingService.RedemptionReport;
import com.quanyi.persistence.redemption.CodeLineStore;
import com.quanyi.persistence.redemption.CodeLineStore.CodeLine;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The redemption report, summed from the codes projection's lines a day at a time (memory holds
 * one entry per SKU, batch and channel, and a batch's redemptions when one batch is asked for).
 */
public final class RedemptionReports {

  /** Running sums of one SKU, batch and channel. */
  private static final class Sums {
    long delivered;
    long redeemed;
    long amount;
    long uses;
    long secondsToUseUp;
    String currency;
  }

  private final CodeLineStore lines;

  public RedemptionReports(CodeLineStore lines) {
    this.lines = lines;
  }

  public CompletionStage<RedemptionReport> report(LocalDate from, LocalDate to, String skuId, String batchId) {
    Map<String, Sums> groups = new LinkedHashMap<>();
    List<RedemptionEntry> entries = new ArrayList<>();
    CompletionStage<Void> read = CompletableFuture.completedFuture(null);
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      LocalDate on = day;
      read = read.thenCompose(previous -> lines.linesOn(on, skuId, batchId)
          .thenAccept(dayLines -> dayLines.forEach(line -> add(line, groups, batchId == null ? null : entries))));
    }
    return read.thenApply(done -> {
      List<RedemptionLine> report = new ArrayList<>();
      groups.forEach((key, sums) -> {
        String[] parts = key.split("\u0000", -1);
        report.add(new RedemptionLine(parts[0], parts[1], parts[2], sums.delivered, sums.redeemed,
            sums.delivered == 0 ? 0 : (double) sums.redeemed / sums.delivered, sums.amount, sums.uses,
            sums.redeemed == 0 ? null : sums.secondsToUseUp / sums.redeemed, sums.currency));
      });
      report.sort(Comparator.comparing(RedemptionLine::skuId).thenComparing(RedemptionLine::batchId)
          .thenComparing(RedemptionLine::channelId));
      entries.sort(Comparator.comparing(RedemptionEntry::redeemedAt));
      return new RedemptionReport(from, to, report, batchId == null ? null : List.copyOf(entries));
    });
  }

  private static void add(CodeLine line, Map<String, Sums> groups, List<RedemptionEntry> entries) {
    Sums sums = groups.computeIfAbsent(line.skuId() + "\u0000" + line.batchId() + "\u0000" + line.channelId(),
        key -> new Sums());
    if (CodeLineStore.DELIVERED.equals(line.kind())) {
      sums.delivered += line.codes();
      return;
    }
    sums.uses++;
    sums.amount += line.amount();
    sums.currency = line.currency();
    if (line.codes() > 0) {
      sums.redeemed += line.codes();
      sums.secondsToUseUp += Duration.between(line.deliveredAt(), line.redeemedAt()).toSeconds();
    }
    if (entries != null) {
      entries.add(new RedemptionEntry(line.eventKey(), line.orderId(), line.channelId(), line.verifierId(),
          line.place(), line.deliveredAt(), line.redeemedAt(), line.amount(), line.codes() > 0, line.currency()));
    }
  }
}
