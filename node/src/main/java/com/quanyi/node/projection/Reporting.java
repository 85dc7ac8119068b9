package com.quanyi.node.projection;

import com.datastax.oss.driver.api.core.CqlSession;
import com.quanyi.http.reporting.ReportingService;
import com.quanyi.persistence.reporting.AccountReportStore;
import com.quanyi.persistence.reporting.InventoryReportStore;
import com.quanyi.persistence.reporting.OrderReportStore;
import com.quanyi.persistence.reporting.ProjectionStatusStore;
import com.quanyi.persistence.reporting.ReportDays;
import com.typesafe.config.Config;
import com.quanyi.persistence.reporting.SettlementStore;
import com.quanyi.persistence.redemption.CodeHolderStore;
import com.quanyi.persistence.redemption.CodeLineStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import org.apache.pekko.actor.typed.ActorSystem;

/** Starts the reporting projections on this node and builds the reads over their tables. */
public final class Reporting {

  private Reporting() {}

  public static ReportingService start(ActorSystem<?> system, Config config, CqlSession session, String keyspace,
      Duration askTimeout) {
    Config c = config.getConfig("quanyi.reporting");
    int tags = config.getInt("quanyi.projections.tags");
    ReportDays days = new ReportDays(ZoneId.of(c.getString("zone")));
    OrderReportStore orders = new OrderReportStore(session, keyspace, days);
    InventoryReportStore inventory = new InventoryReportStore(session, keyspace, days);
    AccountReportStore accounts = new AccountReportStore(session, keyspace);
    ProjectionStatusStore statuses = new ProjectionStatusStore(session, keyspace);
    ProjectionMonitor monitor = new ProjectionMonitor(system, statuses, Clock.systemUTC(),
        c.getDuration("status-every"));
    SettlementStore settlement = new SettlementStore(session, keyspace);
    CodeLineStore codeLines = new CodeLineStore(session, keyspace, days);
    if (c.getBoolean("run-projections")) {
      ReportingProjections.init(system, tags, monitor, orders, inventory, accounts, settlement,
          new CodeHolderStore(session, keyspace), codeLines, askTimeout);
    }
    ProjectionControl control = new ProjectionControl(system, statuses, tags);
    LedgerChecker checker = new LedgerChecker(orders, inventory, accounts, control, LocalDate.parse(c.getString("since")),
        Clock.systemUTC());
    return new ReportingDesk(system, orders, inventory, accounts, control, checker, settlement, codeLines, askTimeout);
  }
}
