package com.quanyi.node.alert;

import com.quanyi.http.console.AlertService.Alert;
import com.quanyi.protocol.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** What the alert watch (one per cluster) is asked, and answers. */
public final class AlertWatchProtocol {

  private AlertWatchProtocol() {}

  public sealed interface Command {}

  /** The alerts in force, for the console (from any node, through the singleton's proxy). */
  public record GetActive(ActorRef<Active> replyTo) implements Command, CborSerializable {}

  public record Active(List<Alert> alerts) implements CborSerializable {}

  /** Internal: time to look at the conditions again. */
  record Look() implements Command {}

  /** Internal: what the conditions showed (null: the look itself failed). */
  record Looked(AlertConditions.Seen seen) implements Command {}
}
