package com.quanyi.node.settlement;

import com.quanyi.protocol.reporting.CommissionEntry;
import com.quanyi.persistence.reporting.SettlementOrder;
import com.quanyi.protocol.commission.CommissionRule;
import com.quanyi.protocol.commission.CommissionRuleSet;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPartRefunded;
import com.quanyi.protocol.order.OrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one order event means for distributor settlement, as a pure function: when the order is
 * delivered, each ancestor of the buying channel accrues its level's commission by the rules in
 * force at the delivery; when a delivered order is refunded, exactly what it accrued is reversed
 * (whatever the rules are by then). A bundle delivered without its failed top-up part accrues on its
 * amount less that part's refunded share.
 */
public final class SettlementLogic {

  /** The order's new settlement row and its commission lines; {@code after} null when nothing changes. */
  public record Effect(SettlementOrder after, List<CommissionEntry> entries) {}

  private SettlementLogic() {}

  /** When this event delivers the order (a bundle partly, its failed part's share refunded): the time, else empty. */
  public static Optional<Instant> deliveredAt(Event event) {
    OrderStatus status = OrderProcessProtocol.statusSetBy(event);
    return status == OrderStatus.DELIVERED || status == OrderStatus.PARTLY_DELIVERED ? Optional.of(event.at())
        : Optional.empty();
  }

  /**
   * @param ancestors the buying channel's parent, then its parent's parent (as many as it has)
   * @param rules the rule set in force when this event delivered the order (unused otherwise)
   */
  public static Effect apply(SettlementOrder before, Event event, long seq, List<String> ancestors,
      CommissionRuleSet rules) {
    SettlementOrder order = before;
    if (event instanceof OrderAccepted e) {
      order = new SettlementOrder(e.request().orderId(), seq, e.request().channelId(), e.request().skuId(),
          e.amount().amount(), e.request().quantity(), e.amount().currency(), Map.of(), false);
    }
    if (order == null) {
      return new Effect(null, List.of());
    }
    if (event instanceof TopupPartRefunded e) {
      // Commissions accrue on what the channel is still charged: the failed part's share never earns any.
      order = new SettlementOrder(order.orderId(), order.seq(), order.channelId(), order.skuId(),
          order.amount() - e.amount().amount(), order.quantity(), order.currency(), order.accrued(), order.reversed());
    }
    Optional<Instant> delivered = deliveredAt(event);
    if (delivered.isPresent() && order.accrued().isEmpty() && !order.reversed()) {
      Map<String, Long> accrued = new LinkedHashMap<>();
      List<CommissionEntry> entries = new ArrayList<>();
      for (int level = 1; level <= ancestors.size() && level <= CommissionRule.MAX_LEVEL; level++) {
        Optional<CommissionRule> rule = rules.ruleFor(level, order.skuId());
        long amount = rule.isPresent() ? rule.get().commission(order.amount(), order.quantity()) : 0;
        if (amount > 0) {
          String beneficiary = ancestors.get(level - 1);
          accrued.put(beneficiary, amount);
          entries.add(new CommissionEntry(beneficiary, delivered.get(), order.orderId(), CommissionEntry.ACCRUAL, level,
              order.channelId(), order.skuId(), amount, order.currency(), rules.version()));
        }
      }
      return new Effect(with(order, seq, accrued, false), entries);
    }
    if (event instanceof DeliveredRefunded e && !order.reversed()) {
      List<CommissionEntry> entries = new ArrayList<>();
      for (Map.Entry<String, Long> accrual : order.accrued().entrySet()) {
        entries.add(new CommissionEntry(accrual.getKey(), e.at(), order.orderId(), CommissionEntry.REVERSAL,
            ancestors.indexOf(accrual.getKey()) + 1, order.channelId(), order.skuId(), accrual.getValue(),
            order.currency(), 0));
      }
      return new Effect(with(order, seq, order.accrued(), true), entries);
    }
    return new Effect(with(order, seq, order.accrued(), order.reversed()), List.of());
  }

  private static SettlementOrder with(SettlementOrder o, long seq, Map<String, Long> accrued, boolean reversed) {
    return new SettlementOrder(o.orderId(), seq, o.channelId(), o.skuId(), o.amount(), o.quantity(), o.currency(),
        Map.copyOf(accrued), reversed);
  }
}
