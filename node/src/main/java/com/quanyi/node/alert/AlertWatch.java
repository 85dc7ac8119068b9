package com.quanyi.node.alert;

import com.quanyi.http.console.AlertService.Alert;
import com.quanyi.node.alert.AlertWatchProtocol.Active;
import com.quanyi.node.alert.AlertWatchProtocol.Command;
import com.quanyi.node.alert.AlertWatchProtocol.GetActive;
import com.quanyi.node.alert.AlertWatchProtocol.Look;
import com.quanyi.node.alert.AlertWatchProtocol.Looked;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Looks at the alert conditions every {@code every} and tells the webhook what was raised and what
 * cleared since the last look. One per cluster (a cluster singleton), so an operator gets each
 * alert once, not once per node. A source that did not answer keeps its alerts as they were: an
 * unreadable report is not a cleared alert. Started again elsewhere (its node left), it raises
 * what is in force once more: a receiver drops repeats by their event id.
 */
public final class AlertWatch {

  private final ActorContext<Command> ctx;
  private final AlertConditions conditions;
  private final AlertWebhook webhook;
  private final Clock clock;
  private Map<String, Alert> active = new LinkedHashMap<>();
  private boolean looking;

  private AlertWatch(ActorContext<Command> ctx, AlertConditions conditions, AlertWebhook webhook, Clock clock) {
    this.ctx = ctx;
    this.conditions = conditions;
    this.webhook = webhook;
    this.clock = clock;
  }

  static Behavior<Command> create(AlertConditions conditions, AlertWebhook webhook, Duration every, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Look(), every);
      return new AlertWatch(ctx, conditions, webhook, clock).behavior();
    }));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Look.class, look -> {
          if (!looking) {
            looking = true;
            ctx.pipeToSelf(conditions.look(clock.instant()), (seen, failure) -> new Looked(failure == null ? seen : null));
          }
          return Behaviors.same();
        })
        .onMessage(Looked.class, looked -> {
          looking = false;
          if (looked.seen() != null) {
            apply(looked.seen());
          }
          return Behaviors.same();
        })
        .onMessage(GetActive.class, get -> {
          get.replyTo().tell(new Active(List.copyOf(active.values())));
          return Behaviors.same();
        })
        .build();
  }

  private void apply(AlertConditions.Seen seen) {
    Map<String, Alert> now = new LinkedHashMap<>();
    for (int source = 0; source < AlertConditions.SOURCES.size(); source++) {
      List<Alert> alerts = seen.bySource().get(source);
      String kind = AlertConditions.SOURCES.get(source);
      if (alerts == null) {
        active.values().stream().filter(a -> a.kind().equals(kind)).forEach(a -> now.put(a.key(), a));
      } else {
        // An alert in force keeps the time it was first seen.
        alerts.forEach(a -> now.put(a.key(), active.containsKey(a.key())
            ? new Alert(a.key(), a.kind(), a.subject(), a.detail(), active.get(a.key()).since()) : a));
      }
    }
    now.values().stream().filter(a -> !active.containsKey(a.key())).forEach(a -> webhook.send("raised", a));
    active.values().stream().filter(a -> !now.containsKey(a.key())).forEach(a -> webhook.send("cleared", a));
    active = now;
  }
}
