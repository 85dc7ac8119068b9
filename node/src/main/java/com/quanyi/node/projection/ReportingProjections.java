package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.AccountReportStore;
import com.quanyi.persistence.reporting.InventoryReportStore;
import com.quanyi.persistence.reporting.OrderReportStore;
import com.quanyi.persistence.reporting.SettlementStore;
import com.quanyi.persistence.redemption.CodeHolderStore;
import com.quanyi.node.redemption.CodesHandler;
import com.quanyi.persistence.redemption.CodeLineStore;
import java.util.stream.Stream;
import com.quanyi.node.WriteGuard;
import com.quanyi.node.settlement.SettlementHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The reporting projections, each one instance per tag spread over the cluster (sharded daemon
 * processes), at least once with offsets in Cassandra:
 * <ul>
 *   <li>{@value #SALES}: order events → order facts, order index, sales ledger, supplier top-ups;</li>
 *   <li>{@value #INVENTORY}: SKU events → inventory view, batches imported per supplier;</li>
 *   <li>{@value #ACCOUNTS}: channel account events → channels (tree, totals), account statements;</li>
 *   <li>{@value #SETTLEMENT}: order events → commission accruals and reversals per ancestor channel;</li>
 *   <li>{@value #CODES}: order events → which order each delivered code went to, which a redemption
 *   looks up (paused or rebuilt, codes delivered meanwhile cannot be redeemed until it catches up),
 *   and the lines of codes delivered and redeemed the redemption report sums.</li>
 * </ul>
 */
public final class ReportingProjections {

  public static final String SALES = "sales";
  public static final String INVENTORY = "inventory";
  public static final String ACCOUNTS = "accounts";
  public static final String SETTLEMENT = "settlement";
  public static final String CODES = "codes";
  /**
   * Most events one write of a grouped projection carries: ten orders' rows are 8-20 KiB as one
   * logged batch (measured 1.5 KiB an order with 40-character ids), under Cassandra's 50 KiB limit
   * even with the longest ids.
   */
  public static final int GROUP = 10;

  /** A projection: its name, the kind of tag it reads, and the tables it alone writes (emptied on rebuild). */
  public record Definition(String name, String tagKind, List<String> tables) {}

  public static final List<Definition> ALL = List.of(
      new Definition(SALES, EventTags.ORDER, OrderReportStore.tables()),
      new Definition(INVENTORY, EventTags.SKU, InventoryReportStore.tables()),
      new Definition(ACCOUNTS, EventTags.ACCOUNT, AccountReportStore.tables()),
      new Definition(SETTLEMENT, EventTags.ORDER, SettlementStore.tables()),
      new Definition(CODES, EventTags.ORDER, Stream.concat(CodeHolderStore.tables().stream(),
          CodeLineStore.tables().stream()).toList()));

  private ReportingProjections() {}

  public static void init(ActorSystem<?> system, int tags, ProjectionMonitor monitor, OrderReportStore orders,
      InventoryReportStore inventory, AccountReportStore accounts, SettlementStore settlement, CodeHolderStore holders,
      CodeLineStore codeLines, Duration askTimeout) {
    // The order projections read Object: an order tag carries order events and the account debits
    // that accepted orders (see OrderEvent).
    ReportingProjections.<Object>startGrouped(system, SALES, EventTags.ORDER, tags, monitor,
        tag -> () -> new OrderReportHandler(orders, tag, tags, WriteGuard.get(system)::mayWrite));
    start(system, INVENTORY, EventTags.SKU, tags, monitor, tag -> () -> new InventoryReportHandler(inventory));
    start(system, ACCOUNTS, EventTags.ACCOUNT, tags, monitor, tag -> () -> new AccountReportHandler(accounts));
    ReportingProjections.<Object>startGrouped(system, SETTLEMENT, EventTags.ORDER, tags, monitor,
        tag -> () -> new SettlementHandler(system, settlement, askTimeout, tag, tags));
    ReportingProjections.<Object>startGrouped(system, CODES, EventTags.ORDER, tags, monitor,
        tag -> () -> new CodesHandler(system, holders, codeLines, tag, tags, askTimeout));
  }

  public static ProjectionId id(String projection, String tag) {
    return ProjectionId.of(projection, tag);
  }

  private static <E> void start(ActorSystem<?> system, String name, String tagKind, int tags,
      ProjectionMonitor monitor, Function<String, Supplier<Handler<EventEnvelope<E>>>> handlers) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "projection-" + name, tags, i -> {
      String tag = EventTags.tag(tagKind, i);
      Supplier<Handler<EventEnvelope<E>>> handler = handlers.apply(tag);
      return ProjectionBehavior.create(CassandraProjection.atLeastOnce(id(name, tag), TagSource.<E>of(system, tag),
              () -> new WriteGuardedHandler<>(handler.get(), WriteGuard.get(system)))
          .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)
          .withStatusObserver(monitor.observer(name, tag)));
    }, ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }

  /**
   * A projection that handles its events a group at a time (up to {@value #GROUP} events or 200 ms),
   * one write per group: what keeps it up with a flash sale's orders.
   */
  private static <E> void startGrouped(ActorSystem<?> system, String name, String tagKind, int tags,
      ProjectionMonitor monitor, Function<String, Supplier<Handler<List<EventEnvelope<E>>>>> handlers) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "projection-" + name, tags, i -> {
      String tag = EventTags.tag(tagKind, i);
      Supplier<Handler<List<EventEnvelope<E>>>> handler = handlers.apply(tag);
      return ProjectionBehavior.create(CassandraProjection.groupedWithin(id(name, tag), TagSource.<E>of(system, tag),
              () -> new WriteGuardedHandler<>(handler.get(), WriteGuard.get(system)))
          .withGroup(GROUP, Duration.ofMillis(200))
          .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)
          .withStatusObserver(monitor.observer(name, tag)));
    }, ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }
}
