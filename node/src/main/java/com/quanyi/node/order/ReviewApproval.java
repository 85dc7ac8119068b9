package com.quanyi.node.order;

import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import java.util.List;

/**
 * What an operator's approval of an order risk control held found when it allocated again: the
 * order's SKU's units, a bundle's parts (all or none), nothing to allocate (a top-up), or no answer
 * (the operator's request times out and may be sent again).
 */
sealed interface ReviewApproval {

  /** A card-code order's units ({@code allocation} null: the inventory did not answer). */
  record Units(Allocation allocation) implements ReviewApproval {}

  /** A bundle's card parts as {@link BundleParts} allocated them; {@code parts}: the bundle's definition. */
  record Parts(BundleParts.Outcome outcome, List<BundlePart> parts) implements ReviewApproval {}

  /** A plain top-up: its driver takes over; nothing to allocate. */
  record Topup() implements ReviewApproval {}

  record NoAnswer() implements ReviewApproval {}
}
