package com.quanyi.node.order;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderRequest;
import java.util.List;

/**
 * The states of an {@link OrderProcess}: not written yet, or written and in one stage of its
 * lifecycle. Each stage is a type, so the commands only a stage accepts are handled only there
 * (a refund or a redemption in {@link Delivered}, a decision in {@link Held}, supplier results in
 * {@link ToppingUp}, an operator's resolution in {@link Undecided}).
 */
public final class OrderStage {

  private OrderStage() {}

  public sealed interface State extends CborSerializable permits NotPlaced, Accepted {}

  public record NotPlaced() implements State {}

  /**
   * What a written order keeps in every stage. {@code attempted}: suppliers a top-up was submitted
   * to, in order (empty for card codes); {@code doubtful}: those that may have topped up anyway.
   */
  public record Facts(OrderView order, String contentHash, OrderRequest request, List<String> attempted,
      List<String> doubtful) implements CborSerializable {}

  /** A written order; its stage follows from its status. */
  public sealed interface Accepted extends State permits Delivered, ToppingUp, Undecided, Held, Ended {

    Facts facts();

    default OrderView order() {
      return facts().order();
    }

    default OrderRequest request() {
      return facts().request();
    }

    static Accepted of(Facts facts) {
      OrderView order = facts.order();
      return switch (order.status()) {
        case DELIVERED, PARTLY_DELIVERED -> new Delivered(facts);
        case REVIEW -> new Held(facts);
        case PROCESSING -> order.review() == null ? new ToppingUp(facts) : new Undecided(facts);
        case FAILED, REFUNDED -> new Ended(facts);
      };
    }
  }

  /**
   * Codes or a top-up delivered (or a bundle's card parts, its top-up part's share refunded): an
   * operator may still refund it, unless one of its codes was redeemed ({@code uses}).
   */
  public record Delivered(Facts facts, CodeUses uses) implements Accepted {
    public Delivered(Facts facts) {
      this(facts, CodeUses.NONE);
    }
  }

  /** A top-up whose driver is walking the suppliers. */
  public record ToppingUp(Facts facts) implements Accepted {}

  /** A top-up a supplier did not answer for: waits for an operator to resolve it. */
  public record Undecided(Facts facts) implements Accepted {}

  /** Held by risk control: waits for an operator to approve or reject it. */
  public record Held(Facts facts) implements Accepted {}

  /** FAILED (charge refunded) or REFUNDED: nothing more happens to it. */
  public record Ended(Facts facts) implements Accepted {}
}
