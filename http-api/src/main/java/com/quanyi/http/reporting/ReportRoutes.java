package com.quanyi.http.reporting;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.http.channel.ChannelRoutes;
import com.quanyi.http.reporting.ReportingService.GroupBy;
import com.quanyi.http.reporting.ReportingService.OrderFilter;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.admin.Role.Permission;
import com.quanyi.protocol.order.OrderStatus;
import java.time.LocalDate;
import java.util.Arrays;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code /admin/v1/reports/…} (roles admin, finance, auditor): sales ledger, order index, inventory
 * and low-stock alerts, supplier statements, redemptions, channel account statements (each as JSON, the large
 * ones also as streamed CSV with {@code format=csv}), and the ledger check; and
 * {@code /admin/v1/projections} (status for those roles; pause, resume and rebuild for admins);
 * {@code /admin/v1/commission/rules} (read: any role; replace: admin, operator); and
 * {@code GET /admin/v1/channels}, the channel tree as the accounts projection has it (any role).
 */
public final class ReportRoutes extends AdminRouteSupport {

  static final int MAX_DAYS = 366;
  static final int MAX_JSON_LINES = 10_000;
  static final int MAX_PAGE = 1_000;

  private final Supplier<ReportingService> started;
  private final Materializer materializer;

  /**
   * @param started the reports once the node has its Cassandra session (the API binds before; it
   *     serves only once the node is ready, and by then this answers)
   */
  public ReportRoutes(AdminAuthenticator authenticator, Supplier<ReportingService> started,
      Materializer materializer) {
    super(authenticator);
    this.started = started;
    this.materializer = materializer;
  }

  public Route route() {
    return concat(
        pathPrefix("reports", () -> get(() -> authorized(Permission.REPORT_READ, principal -> reportRoutes()))),
        path("channels", () -> get(() -> authorized(Permission.READ, principal ->
            onReply(service().channelTree(), tree -> json(ok(), Map.of("channels", tree)))))),
        pathPrefix("projections", this::projections),
        path(segment("commission").slash("rules"), this::commissionRules));
  }

  private ReportingService service() {
    return started.get();
  }

  private Route commissionRules() {
    return concat(
        get(() -> authorized(Permission.READ, principal -> onReply(service().commissionRules(),
            rules -> json(ok(), rules)))),
        put(() -> authorized(Permission.CHANNEL_WRITE, principal ->
            jsonBody(ReportingService.CommissionRulesUpdate.class, update -> onReply(
                service().setCommissionRules(update, principal.name()),
                outcome -> ChannelRoutes.respond(outcome, rules -> json(ok(), rules)))))));
  }

  private Route settlement(String channelId) {
    String channel = id("channelId", Optional.of(channelId));
    return range((from, to) -> parameterOptional("period", period -> parameterOptional("format", format -> {
      if (csv(format)) {
        return complete(Csv.stream("commission-" + channel + "-" + from + "-" + to + ".csv", List.of("at", "kind",
            "orderId", "level", "buyerChannelId", "skuId", "amount", "currency", "ruleVersion"),
            service().commissionLines(channel, from, to),
            e -> Arrays.asList(e.at(), e.kind(), e.orderId(), e.level(), e.buyerChannelId(), e.skuId(),
                e.amount(), e.currency(), e.ruleVersion())));
      }
      return onReply(service().settlement(channel, period(period), from, to), statement -> json(ok(), statement));
    })));
  }

  private static ReportingService.Period period(Optional<String> value) {
    try {
      return ReportingService.Period.valueOf(value.orElse("day").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiJson.InvalidRequest("period is day, week or month");
    }
  }

  private Route reportRoutes() {
    return concat(
        path("sales", this::sales),
        path("orders", this::orders),
        path("inventory", this::inventory),
        path("suppliers", this::suppliers),
        path("redemptions", this::redemptions),
        pathPrefix("accounts", () -> path(segment().slash("statement"), this::statement)),
        path(segment("settlements").slash(segment()), this::settlement),
        path("ledger-check", () -> onReply(service().ledgerCheck(), check -> json(ok(), check))));
  }

  private Route projections() {
    return concat(
        pathEnd(() -> get(() -> authorized(Permission.REPORT_READ, principal ->
            onReply(service().projections(), all -> json(ok(), Map.of("projections", all)))))),
        path(segment().slash(segment()), (name, action) -> post(() ->
            authorized(Permission.PROJECTION_ADMIN, principal -> {
              if (!List.of("pause", "resume", "rebuild").contains(action)) {
                return completeProblem(ProblemCode.NOT_FOUND, "a projection can be paused, resumed or rebuilt");
              }
              return onReply(service().control(name, action, principal.name()), info -> info
                  .map(found -> json(ok(), found))
                  .orElseGet(() -> problem(ProblemCode.NOT_FOUND, "no projection is called " + safe(name))));
            }))));
  }

  private Route sales() {
    return range((from, to) -> parameterOptional("groupBy", groupBy -> parameterOptional("skuId", skuId ->
        parameterOptional("channelId", channelId -> parameterOptional("format", format -> {
          Set<GroupBy> groups = groupBy(groupBy.orElse("day,sku,channel"));
          var lines = service().sales(from, to, groups, id("skuId", skuId), id("channelId", channelId));
          if (csv(format)) {
            return complete(Csv.stream("sales-" + from + "-" + to + ".csv", List.of("day", "skuId", "channelId",
                "orders", "units", "revenue", "cost", "refunds", "refundedOrders", "margin", "currency"), lines,
                l -> Arrays.asList(l.day(), l.skuId(), l.channelId(), l.orders(), l.units(), l.revenue(),
                    l.cost(), l.refunds(), l.refundedOrders(), l.margin(), l.currency())));
          }
          return onReply(lines.take(MAX_JSON_LINES + 1).runWith(Sink.seq(),
              materializer), all -> all.size() > MAX_JSON_LINES
              ? problem(ProblemCode.INVALID_REQUEST, "more than " + MAX_JSON_LINES
                  + " lines: narrow the range or group, or export with format=csv")
              : json(ok(), Map.of("from", from, "to", to, "groupBy", groups, "lines", all)));
        })))));
  }

  private Route orders() {
    return range((from, to) -> parameterOptional("channelId", channelId -> parameterOptional("status", status ->
        parameterOptional("skuId", skuId -> parameterOptional("after", after -> parameterOptional("limit", limit ->
            parameterOptional("format", format -> {
              int given = (channelId.isPresent() ? 1 : 0) + (status.isPresent() ? 1 : 0) + (skuId.isPresent() ? 1 : 0);
              if (given != 1) {
                throw new ApiJson.InvalidRequest("give exactly one of channelId, status, skuId");
              }
              OrderFilter filter = channelId.isPresent() ? OrderFilter.CHANNEL
                  : status.isPresent() ? OrderFilter.STATUS : OrderFilter.SKU;
              String value = channelId.isPresent() ? id("channelId", channelId)
                  : status.isPresent() ? status(status.get()) : id("skuId", skuId);
              if (csv(format)) {
                return complete(Csv.stream("orders-" + from + "-" + to + ".csv", List.of("orderId", "channelId",
                    "clientOrderNo", "skuId", "quantity", "status", "amount", "currency", "createdAt", "statusAt"),
                    service().allOrders(filter, value, from, to),
                    o -> Arrays.asList(o.orderId(), o.channelId(), o.clientOrderNo(), o.skuId(),
                        o.quantity(), o.status(), o.amount(), o.currency(), o.createdAt(), o.statusAt())));
              }
              return onReply(service().orders(filter, value, from, to, cursor(after), limit(limit)),
                  page -> json(ok(), page));
            })))))));
  }

  private Route inventory() {
    return parameterOptional("lowStockOnly", low -> parameterOptional("format", format -> {
      var skus = service().inventory(flag("lowStockOnly", low));
      if (csv(format)) {
        return onReply(skus, list -> Csv.stream("inventory.csv", List.of("skuId", "name", "kind", "lowSince",
                "batchId", "supplierId", "units", "allocated", "released", "expired", "available", "frozen", "unitCost",
                "currency"),
            Source.from(list).mapConcat(s -> s.batches().stream()
                .map(b -> Arrays.<Object>asList(s.skuId(), s.name(), s.kind(), s.lowSince(), b.batchId(),
                    b.supplierId(), b.units(), b.allocated(), b.released(), b.expired(), b.available(), b.frozen(),
                    b.unitCost(),
                    b.currency())).toList()),
            line -> line));
      }
      return onReply(skus, list -> json(ok(), Map.of("skus", list)));
    }));
  }

  private Route suppliers() {
    return range((from, to) -> parameterOptional("supplierId", supplierId -> parameterOptional("format", format -> {
      var statement = service().suppliers(from, to, id("supplierId", supplierId));
      if (csv(format)) {
        return onReply(statement, s -> Csv.stream("suppliers-" + from + "-" + to + ".csv", List.of("day", "supplierId",
            "submitted", "succeeded", "failed", "undecided", "cost", "currency"),
            Source.from(s.days()),
            d -> Arrays.asList(d.day(), d.supplierId(), d.submitted(), d.succeeded(), d.failed(),
                d.undecided(), d.cost(), d.currency())));
      }
      return onReply(statement, s -> json(ok(), s));
    })));
  }

  private Route redemptions() {
    return range((from, to) -> parameterOptional("skuId", skuId -> parameterOptional("batchId", batchId ->
        parameterOptional("format", format -> {
          String sku = id("skuId", skuId);
          String batch = id("batchId", batchId);
          if (batch != null && sku == null) {
            throw new ApiJson.InvalidRequest("batchId needs its skuId");
          }
          var report = service().redemptions(from, to, sku, batch);
          if (csv(format)) {
            return onReply(report, r -> Csv.stream("redemptions-" + from + "-" + to + ".csv", List.of("skuId", "batchId",
                "channelId", "delivered", "redeemed", "rate", "amountRedeemed", "uses", "averageSecondsToRedeem",
                "currency"), Source.from(r.lines()), l -> Arrays.asList(l.skuId(), l.batchId(), l.channelId(),
                l.delivered(), l.redeemed(), l.rate(), l.amountRedeemed(), l.uses(), l.averageSecondsToRedeem(),
                l.currency())));
          }
          return onReply(report, r -> json(ok(), r));
        }))));
  }

  private Route statement(String channelId) {
    String channel = id("channelId", Optional.of(channelId));
    return range((from, to) -> parameterOptional("after", after -> parameterOptional("limit", limit ->
        parameterOptional("format", format -> {
          if (csv(format)) {
            return complete(Csv.stream("statement-" + channel + "-" + from + "-" + to + ".csv", List.of("at", "kind",
                "reference", "skuId", "units", "amount", "balance", "currency"),
                service().statementLines(channel, from, to),
                e -> Arrays.asList(e.at(), e.kind(), e.reference(), e.skuId(), e.units(), e.amount(),
                    e.balance(), e.currency())));
          }
          return onReply(service().statement(channel, from, to, cursor(after), limit(limit)), summary -> summary == null
              ? problem(ProblemCode.NOT_FOUND, "the reports know no channel " + channel)
              : json(ok(), summary));
        }))));
  }

  /** Required {@code from} and {@code to} (ISO dates, inclusive, at most a year apart). */
  private Route range(BiFunction<LocalDate, LocalDate, Route> inner) {
    return parameterOptional("from", from -> parameterOptional("to", to -> {
      if (from.isEmpty() || to.isEmpty()) {
        throw new ApiJson.InvalidRequest("from and to are required (dates such as 2026-11-22)");
      }
      LocalDate start = date("from", from.get());
      LocalDate end = date("to", to.get());
      if (end.isBefore(start) || ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
        throw new ApiJson.InvalidRequest("to must be on or after from, at most " + MAX_DAYS + " days");
      }
      return inner.apply(start, end);
    }));
  }

  private static LocalDate date(String name, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiJson.InvalidRequest(name + " must be a date such as 2026-11-22");
    }
  }

  private static Set<GroupBy> groupBy(String value) {
    Set<GroupBy> groups = EnumSet.noneOf(GroupBy.class);
    for (String part : value.split(",")) {
      try {
        groups.add(GroupBy.valueOf(part.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ApiJson.InvalidRequest("groupBy is a comma-separated list of day, sku, channel");
      }
    }
    return groups;
  }

  private static String id(String name, Optional<String> value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      Identifier.require(name, value.get());
    } catch (IllegalArgumentException e) {
      throw new ApiJson.InvalidRequest(e.getMessage());
    }
    return value.get();
  }

  private static String status(String value) {
    try {
      return OrderStatus.valueOf(value).name();
    } catch (IllegalArgumentException e) {
      throw new ApiJson.InvalidRequest("status is one of PROCESSING, DELIVERED, PARTLY_DELIVERED, FAILED, REVIEW, REFUNDED");
    }
  }

  private static String cursor(Optional<String> after) {
    if (after.isPresent() && (after.get().length() > 400 || !after.get().matches("[A-Za-z0-9_-]+"))) {
      throw new ApiJson.InvalidRequest("after is not a cursor this API returned");
    }
    return after.orElse(null);
  }

  private static int limit(Optional<String> value) {
    if (value.isEmpty()) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(value.get());
      if (limit >= 1 && limit <= MAX_PAGE) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // falls through to the problem below
    }
    throw new ApiJson.InvalidRequest("limit must be 1-" + MAX_PAGE);
  }

  private static boolean flag(String name, Optional<String> value) {
    if (value.isEmpty() || value.get().equals("false")) {
      return false;
    }
    if (value.get().equals("true")) {
      return true;
    }
    throw new ApiJson.InvalidRequest(name + " is true or false");
  }

  private static boolean csv(Optional<String> format) {
    if (format.isEmpty() || format.get().equals("json")) {
      return false;
    }
    if (format.get().equals("csv")) {
      return true;
    }
    throw new ApiJson.InvalidRequest("format is json or csv");
  }

  private static String safe(String value) {
    return value.length() > 64 || !value.matches("[A-Za-z0-9_-]*") ? "(not a name)" : value;
  }
}
