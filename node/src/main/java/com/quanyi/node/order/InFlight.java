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
import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPartRefunded;
import java.time.Instant;
import java.util.List;

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

    /** How much goes back: what the channel is still charged for the order, unless a part says less. */
    default Money amount(OrderView order) {
      return order.charged();
    }

    /**
     * What the account knows this refund by (it refunds each once): the order id, or the order and
     * the part whose share is refunded, so that the rest of the charge can still be refunded later.
     */
    default String refundKey(OrderView order) {
      return order.orderId();
    }
  }

  /**
   * A bundle's top-up part failed ({@code whole}: how the top-up ended, which alone would refund the
   * whole charge) and the bundle's policy refunds only that part's {@code share}; {@code status}:
   * PROCESSING while more top-up parts are to come, else null (the order is PARTLY_DELIVERED).
   */
  record RefundingPart(GivingBack whole, String skuId, Money share, List<String> reasons, List<String> doubtful,
      String actor, OrderStatus status) implements GivingBack {
    @Override
    public Event written(Instant at) {
      return new TopupPartRefunded(skuId, share, reasons, actor, at, doubtful, status);
    }

    @Override
    public void answer(OrderView order) {
      whole.answer(order);
    }

    @Override
    public Money amount(OrderView order) {
      return share;
    }

    @Override
    public String refundKey(OrderView order) {
      return order.orderId() + "/" + skuId;
    }
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
