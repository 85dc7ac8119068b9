package com.quanyi.node.alert;

import com.quanyi.http.console.AlertService;
import com.quanyi.http.order.OrderService;
import com.quanyi.http.reporting.ReportingService;
import com.quanyi.http.supplier.SupplierService;
import com.quanyi.node.Replies;
import com.quanyi.node.callback.ParkedCallbacks;
import com.quanyi.node.alert.AlertWatchProtocol.Active;
import com.quanyi.node.alert.AlertWatchProtocol.Command;
import com.quanyi.node.alert.AlertWatchProtocol.GetActive;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/** The alerts as the console reads them: from the cluster's one {@link AlertWatch}, wherever it runs. */
public final class AlertDesk implements AlertService {

  private final ActorSystem<?> system;
  private final ActorRef<Command> watch;
  private final Executor dispatcher;
  private final Duration askTimeout;

  private AlertDesk(ActorSystem<?> system, ActorRef<Command> watch, Duration askTimeout) {
    this.system = system;
    this.watch = watch;
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  /** Starts the watch (once in the cluster) and answers for it. */
  public static AlertDesk start(ActorSystem<?> system, AlertSettings settings, Supplier<ReportingService> reports,
      OrderService orders, SupplierService suppliers, ParkedCallbacks parked, Executor blocking, Duration askTimeout) {
    AlertConditions conditions = new AlertConditions(reports, orders, suppliers, parked, settings,
        Replies.dispatcher(system));
    AlertWebhook webhook = new AlertWebhook(settings, blocking, system.scheduler(), system.executionContext(),
        Clock.systemUTC());
    ActorRef<Command> watch = ClusterSingleton.get(system).init(SingletonActor.of(
        AlertWatch.create(conditions, webhook, settings.every(), Clock.systemUTC()), "alert-watch"));
    return new AlertDesk(system, watch, askTimeout);
  }

  @Override
  public CompletionStage<List<Alert>> active() {
    CompletionStage<Active> asked = AskPattern.ask(watch, GetActive::new, askTimeout, system.scheduler());
    return Replies.on(dispatcher, asked).thenApply(Active::alerts);
  }
}
