package com.quanyi.node.order;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChargedOtherwise;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitOverloaded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.InsufficientBalance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.QuotaExceeded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountNotOpen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AllocationOverloaded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BuyerLimitReached;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BundleOf;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.HeldOtherwise;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuUnavailable;
import com.quanyi.protocol.order.OrderProcessProtocol.Refused;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.RefusalReason;

/** Why an order is refused, from what the inventory or the account answered it: one wording for every path. */
final class Refusals {

  private Refusals() {}

  /** The inventory did not allocate. */
  static Refused of(Allocation allocation, OrderRequest request) {
    if (allocation instanceof OutOfStock) {
      return new Refused(RefusalReason.OUT_OF_STOCK, "not enough stock for " + request.quantity() + " unit(s)");
    }
    if (allocation instanceof BuyerLimitReached limit) {
      return new Refused(RefusalReason.LIMIT_EXCEEDED, "this buyer may hold at most " + limit.maxPerBuyer()
          + " unit(s) of SKU " + request.skuId() + " and holds " + limit.held());
    }
    if (allocation instanceof HeldOtherwise) {
      return new Refused(RefusalReason.IDEMPOTENCY_MISMATCH, "clientOrderNo " + request.clientOrderNo()
          + " was used for a different order");
    }
    if (allocation instanceof AllocationOverloaded) {
      return new Refused(RefusalReason.OVERLOADED, "too many orders for this SKU right now; retry");
    }
    if (allocation instanceof BundleOf) {
      // Bundles are placed by CardOrderFlow, which allocates their parts; nowhere else.
      return new Refused(RefusalReason.UNAVAILABLE, "the bundle order could not be completed now; retry the same request");
    }
    String why = allocation instanceof SkuUnavailable unavailable ? unavailable.reason() : "unavailable";
    return new Refused(RefusalReason.SKU_UNAVAILABLE, "SKU " + request.skuId() + " cannot be ordered: " + why);
  }

  /** The account did not charge. */
  static Refused of(DebitReply debit, OrderRequest request, Money amount) {
    if (debit instanceof InsufficientBalance) {
      return new Refused(RefusalReason.INSUFFICIENT_BALANCE, "the balance does not cover " + amount.amount());
    }
    if (debit instanceof QuotaExceeded) {
      return new Refused(RefusalReason.LIMIT_EXCEEDED, "this channel's quota for SKU " + request.skuId()
          + " is used up");
    }
    if (debit instanceof ChargedOtherwise) {
      return new Refused(RefusalReason.IDEMPOTENCY_MISMATCH, "clientOrderNo " + request.clientOrderNo()
          + " was used for a different order");
    }
    if (debit instanceof DebitOverloaded) {
      return new Refused(RefusalReason.OVERLOADED, "the channel account cannot be charged now; retry");
    }
    if (debit instanceof AccountNotOpen) {
      return new Refused(RefusalReason.SKU_UNAVAILABLE, "the channel account cannot be charged");
    }
    return new Refused(RefusalReason.UNAVAILABLE, "the order could not be charged now; retry the same request");
  }
}
