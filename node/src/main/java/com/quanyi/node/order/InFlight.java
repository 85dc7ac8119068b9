package com.quanyi.node.order;

import com.quanyi.protocol.order.OrderProtocol.AbandonTopup;
import com.quanyi.protocol.order.OrderProtocol.DecideReview;
import com.quanyi.protocol.order.OrderProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProtocol.EndFailed;
import com.quanyi.protocol.order.OrderProtocol.Event;
import com.quanyi.protocol.order.OrderProtocol.FinishTopup;
import com.quanyi.protocol.order.OrderProtocol.OrderView;
import com.quanyi.protocol.order.OrderProtocol.Place;
import com.quanyi.protocol.order.OrderProtocol.Recorded;
import com.quanyi.protocol.order.OrderProtocol.RefundDelivered;
import com.quanyi.protocol.order.OrderProtocol.ReviewRejected;
import com.quanyi.protocol.order.OrderProtocol.Settle;
import com.quanyi.protocol.order.OrderProtocol.Settled;
import com.quanyi.protocol.order.OrderProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProtocol.TopupSettled;
import com.quanyi.protocol.order.OrderStatus;
import java.time.Instant;

/**
 * What an {@link OrderProcess} is waiting for between a command and the answer it needs from
 * another entity: at most one thing at a time (commands that would start another wait, stashed),
 * held in memory only. A node that dies meanwhile loses it; what was half done is finished by the
 * retry or by reconciliation (docs/orders.md).
 */
sealed interface InFlight {

  /**
   * Nothing in this order's journal: whether its channel account accepted it with its charge, which
   * the order then adopts ({@code OrderProtocol.OrderAccepted#adopted}). Every command waits for it.
   */
  record LookingUp() implements InFlight {}

  /** The placement steps of an order not yet written (top-ups, and card orders cut off after their charge). */
  record Placing(Place place) implements InFlight {}

  /** An inventory holds units for this never-written order: units and any charge go back. */
  record Abandoning() implements InFlight {}

  /** The top-up's driver found this order never written: whatever was charged goes back. */
  record ReversingTopup(AbandonTopup command) implements InFlight {}

  /** An operator approved a held card order: its units are being allocated again. */
  record AllocatingApproval(DecideReview command) implements InFlight {}

  /**
   * The order's charge is on its way back to the account; once it is, the order writes why
   * ({@link #written}) and answers whoever asked. Without an answer from the account nothing is
   * written and the asker times out and asks again (the account refunds once).
   */
  sealed interface GivingBack extends InFlight {

    Event written(Instant at);

    void answer(OrderView order);
  }

  /** An operator's refund of a delivered order. */
  record Refunding(RefundDelivered command) implements GivingBack {
    @Override
    public Event written(Instant at) {
      return new DeliveredRefunded(command.reason(), command.actor(), at);
    }

    @Override
    public void answer(OrderView order) {
      command.replyTo().tell(new Settled(order));
    }
  }

  /** A held order rejected by an operator, or approved when its stock was gone. */
  record Rejecting(DecideReview command, String why) implements GivingBack {
    @Override
    public Event written(Instant at) {
      return new ReviewRejected(why, command.actor(), at);
    }

    @Override
    public void answer(OrderView order) {
      command.replyTo().tell(new Settled(order));
    }
  }

  /** An undecided top-up settled FAILED by an operator. */
  record SettlingFailed(Settle command) implements GivingBack {
    @Override
    public Event written(Instant at) {
      return new TopupSettled(OrderStatus.FAILED, command.actor(), at);
    }

    @Override
    public void answer(OrderView order) {
      command.replyTo().tell(new Settled(order));
    }
  }

  /**
   * A top-up every supplier failed. A refund of the order's amount, not a reversal of the account's
   * charge record: a top-up can end after the account has forgotten the charge.
   */
  record FailingTopup(FinishTopup command) implements GivingBack {
    @Override
    public Event written(Instant at) {
      EndFailed failed = (EndFailed) command.end();
      return new TopupFailed(failed.reasons(), at, failed.doubtful());
    }

    @Override
    public void answer(OrderView order) {
      command.replyTo().tell(new Recorded());
    }
  }
}
