package com.quanyi.node.order;

import com.quanyi.protocol.order.OrderProcessProtocol.RefundUnplacedTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.DecideReview;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.EndFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.FinishTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderProcessProtocol.Place;
import com.quanyi.protocol.order.OrderProcessProtocol.Recorded;
import com.quanyi.protocol.order.OrderProcessProtocol.RefundDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewRejected;
import com.quanyi.protocol.order.OrderProcessProtocol.Resolve;
import com.quanyi.protocol.order.OrderProcessProtocol.Applied;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
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
   * the order then adopts ({@code OrderProcessProtocol.OrderAccepted#adopted}). Every command waits for it.
   */
  record LookingUp() implements InFlight {}

  /** The placement steps of an order not yet written (top-ups, and card orders cut off after their charge). */
  record Placing(Place place) implements InFlight {}

  /** An inventory holds units for this never-written order: units and any charge go back. */
  record ReleasingUnplaced() implements InFlight {}

  /** The top-up's driver found this order never written: whatever was charged is refunded. */
  record RefundingTopup(RefundUnplacedTopup command) implements InFlight {}

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
      command.replyTo().tell(new Applied(order));
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
      command.replyTo().tell(new Applied(order));
    }
  }

  /** An undecided top-up an operator resolved FAILED. */
  record ResolvingFailed(Resolve command) implements GivingBack {
    @Override
    public Event written(Instant at) {
      return new TopupResolved(OrderStatus.FAILED, command.actor(), at);
    }

    @Override
    public void answer(OrderView order) {
      command.replyTo().tell(new Applied(order));
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
