package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.OrderFactRow;
import com.quanyi.persistence.reporting.ReportDays;
import com.quanyi.persistence.reporting.SalesRow;
import com.quanyi.protocol.reporting.SupplierDayRow;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.PartSlots;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewRejected;
import com.quanyi.protocol.order.OrderProcessProtocol.SupplierAttempted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPartRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupUndecided;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.inventory.SlotRange;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What one order event means for the reports, as a pure function of the order's facts so far: its
 * new facts, and what it adds to the sales ledger and to supplier top-ups (as increments). The
 * projection handler turns these into rows; tests check the arithmetic here without Cassandra.
 *
 * <p>Sales: an order counts (orders, revenue) on the day it was charged, its units and cost on the
 * day they were delivered, and a refund on the day the charge was refunded. Suppliers: an
 * attempt counts as submitted; it failed when the top-up moved on to the next supplier or ended
 * FAILED, succeeded when delivered; undecided when handed to operators, whose decision then counts
 * as succeeded or failed on its day.
 */
public final class OrderReportLogic {

  /** The order's new facts and the increments; {@code after} is null when the event changes nothing. */
  public record Effect(OrderFactRow after, List<SalesRow> sales, List<SupplierDayRow> suppliers) {}

  private final ReportDays days;

  public OrderReportLogic(ReportDays days) {
    this.days = days;
  }

  /** {@code before}: the order's facts (null before its first event). */
  public Effect apply(OrderFactRow before, Event event, long seq) {
    if (event instanceof OrderAccepted e) {
      OrderStatus status = e.status() == null ? OrderStatus.DELIVERED : e.status();
      OrderFactRow fact = new OrderFactRow(e.request().orderId(), seq, e.request().channelId(), e.request().skuId(),
          e.request().clientOrderNo(), e.request().quantity(), status.name(), e.at(), e.amount().amount(),
          0, e.amount().currency(), e.at(), null, 0);
      SalesRow line = sales(fact, e.at(), 1, 0, e.amount().amount(), 0, 0, 0);
      if (status == OrderStatus.DELIVERED) {
        long cost = amountOf(e.cost());
        fact = withCost(fact, cost);
        line = line.plus(sales(fact, e.at(), 0, fact.quantity(), 0, cost, 0, 0));
      } else if (e.parts() != null && e.cost() != null) {
        // A bundle topping up: its card parts are delivered now, and cost now; its own units count
        // when the top-up is delivered, with the supplier's cost.
        long cost = amountOf(e.cost());
        fact = withCost(fact, cost);
        line = line.plus(sales(fact, e.at(), 0, 0, 0, cost, 0, 0));
      }
      return new Effect(fact, withParts(line, e.parts()), List.of());
    }
    if (before == null) {
      // Every order's first event is its acceptance; anything else has nothing to attach to.
      return new Effect(null, List.of(), List.of());
    }
    if (event instanceof ReviewApproved e && e.parts() != null) {
      // A bundle approved: its card parts delivered and costed now (its own unit too, unless its
      // top-up part runs: that counts when topped up), a line per part as at an acceptance.
      long cost = amountOf(e.cost());
      OrderFactRow fact = withCost(moved(before, seq, e.status(), e.at()), cost);
      SalesRow line = sales(fact, e.at(), 0, e.status() == OrderStatus.DELIVERED ? fact.quantity() : 0, 0, cost, 0, 0);
      return new Effect(fact, withParts(line, e.parts()), List.of());
    }
    if (event instanceof ReviewApproved e) {
      OrderFactRow fact = moved(before, seq, e.status(), e.at());
      if (e.status() != OrderStatus.DELIVERED) {
        return new Effect(fact, List.of(), List.of());
      }
      long cost = amountOf(e.cost());
      return new Effect(withCost(fact, cost), List.of(sales(fact, e.at(), 0, fact.quantity(), 0, cost, 0, 0)),
          List.of());
    }
    if (event instanceof ReviewRejected e) {
      return refunded(before, seq, e.at(), List.of());
    }
    if (event instanceof DeliveredRefunded e) {
      return refunded(before, seq, e.at(), List.of(), OrderStatus.REFUNDED);
    }
    if (event instanceof SupplierAttempted e) {
      List<SupplierDayRow> suppliers = new ArrayList<>();
      if (before.supplierId() != null) {
        suppliers.add(supplier(before.supplierId(), e.at(), 0, 0, 1, 0, 0, null));
      }
      suppliers.add(supplier(e.supplierId(), e.at(), 1, 0, 0, 0, 0, null));
      OrderFactRow fact = new OrderFactRow(before.orderId(), seq, before.channelId(), before.skuId(),
          before.clientOrderNo(), before.quantity(), before.status(), before.statusAt(), before.amount(), before.cost(),
          before.currency(), before.createdAt(), e.supplierId(), 0);
      return new Effect(fact, List.of(), suppliers);
    }
    if (event instanceof TopupDelivered e) {
      return delivered(before, seq, e.supplierId(), amountOf(e.cost()), e.cost() == null ? null : e.cost().currency(),
          e.at(), List.of(), e.status() == null ? OrderStatus.DELIVERED : e.status(), e.ends());
    }
    if (event instanceof TopupFailed e) {
      List<SupplierDayRow> suppliers = before.supplierId() == null ? List.of()
          : List.of(supplier(before.supplierId(), e.at(), 0, 0, 1, 0, 0, null));
      return refunded(before, seq, e.at(), suppliers);
    }
    if (event instanceof TopupPartRefunded e) {
      return partRefunded(before, seq, e);
    }
    if (event instanceof TopupUndecided e) {
      OrderFactRow fact = new OrderFactRow(before.orderId(), seq, before.channelId(), before.skuId(),
          before.clientOrderNo(), before.quantity(), before.status(), before.statusAt(), before.amount(), before.cost(),
          before.currency(), before.createdAt(), e.supplierId(), amountOf(e.cost()));
      return new Effect(fact, List.of(), List.of(supplier(e.supplierId(), e.at(), 0, 0, 0, 1, 0, null)));
    }
    if (event instanceof TopupResolved e) {
      if (e.status() != OrderStatus.FAILED) {
        return delivered(before, seq, before.supplierId(), before.pendingCost(), before.currency(), e.at(), List.of(),
            e.status(), e.status() != OrderStatus.PROCESSING);
      }
      List<SupplierDayRow> suppliers = before.supplierId() == null ? List.of()
          : List.of(supplier(before.supplierId(), e.at(), 0, 0, 1, 0, 0, null));
      return refunded(before, seq, e.at(), suppliers);
    }
    return new Effect(moved(before, seq, OrderStatus.valueOf(before.status()), before.statusAt()), List.of(),
        List.of());
  }

  /**
   * A delivered bundle's parts are units delivered of their own SKUs too (their inventories
   * allocated them): a line each, with no order, revenue or cost, which stay on the bundle's line.
   */
  private List<SalesRow> withParts(SalesRow line, List<PartSlots> parts) {
    if (parts == null) {
      return List.of(line);
    }
    List<SalesRow> lines = new ArrayList<>(List.of(line));
    parts.stream().filter(part -> !part.slots().isEmpty()).forEach(part -> lines.add(new SalesRow(line.day(),
        part.skuId(), line.channelId(), 0, part.slots().stream().mapToLong(SlotRange::count).sum(), 0, 0, 0, 0,
        line.currency())));
    return lines;
  }

  /**
   * A top-up delivered, the order now {@code status}; {@code ends}: the order's last top-up (its
   * units count now). A bundle's top-up part with more to come adds only its supplier's cost, and
   * the next part's attempts start afresh (no supplier of its own yet).
   */
  private Effect delivered(OrderFactRow before, long seq, String supplierId, long cost, String costCurrency,
      Instant at, List<SupplierDayRow> more, OrderStatus status, boolean ends) {
    OrderFactRow fact = withCost(ends ? moved(before, seq, status, at) : nextTopup(before, seq), cost);
    List<SupplierDayRow> suppliers = new ArrayList<>(more);
    if (supplierId != null) {
      suppliers.add(supplier(supplierId, at, 0, 1, 0, 0, cost, costCurrency));
    }
    return new Effect(fact, List.of(sales(fact, at, 0, ends ? fact.quantity() : 0, 0, cost, 0, 0)), suppliers);
  }

  /** A bundle's top-up part ended with more to come: still PROCESSING, no supplier for the next part yet. */
  private static OrderFactRow nextTopup(OrderFactRow f, long seq) {
    return new OrderFactRow(f.orderId(), seq, f.channelId(), f.skuId(), f.clientOrderNo(), f.quantity(), f.status(),
        f.statusAt(), f.amount(), f.cost(), f.currency(), f.createdAt(), null, 0);
  }

  /**
   * A bundle's top-up part failed and only its share came back: the share counts as a refund on its
   * day without refunding the order, and the order's amount is what is still charged from now on (a
   * later refund of the rest gives back only that). The last top-up part: the bundle counts as
   * delivered (its card parts' cost was counted at acceptance, the supplier charged nothing).
   */
  private Effect partRefunded(OrderFactRow before, long seq, TopupPartRefunded e) {
    OrderFactRow moved = e.ends() ? moved(before, seq, OrderStatus.PARTLY_DELIVERED, e.at()) : nextTopup(before, seq);
    OrderFactRow fact = new OrderFactRow(moved.orderId(), seq, moved.channelId(), moved.skuId(), moved.clientOrderNo(),
        moved.quantity(), moved.status(), moved.statusAt(), moved.amount() - e.amount().amount(), moved.cost(),
        moved.currency(), moved.createdAt(), moved.supplierId(), moved.pendingCost());
    List<SupplierDayRow> suppliers = before.supplierId() == null ? List.of()
        : List.of(supplier(before.supplierId(), e.at(), 0, 0, 1, 0, 0, null));
    return new Effect(fact, List.of(sales(fact, e.at(), 0, e.ends() ? fact.quantity() : 0, 0, 0, e.amount().amount(),
        0)), suppliers);
  }

  private Effect refunded(OrderFactRow before, long seq, Instant at, List<SupplierDayRow> suppliers) {
    return refunded(before, seq, at, suppliers, OrderStatus.FAILED);
  }

  private Effect refunded(OrderFactRow before, long seq, Instant at, List<SupplierDayRow> suppliers,
      OrderStatus status) {
    OrderFactRow fact = moved(before, seq, status, at);
    return new Effect(fact, List.of(sales(fact, at, 0, 0, 0, 0, before.amount(), 1)), suppliers);
  }

  private static OrderFactRow moved(OrderFactRow f, long seq, OrderStatus status, Instant at) {
    return new OrderFactRow(f.orderId(), seq, f.channelId(), f.skuId(), f.clientOrderNo(), f.quantity(), status.name(),
        at, f.amount(), f.cost(), f.currency(), f.createdAt(), f.supplierId(), f.pendingCost());
  }

  private static OrderFactRow withCost(OrderFactRow f, long cost) {
    return new OrderFactRow(f.orderId(), f.seq(), f.channelId(), f.skuId(), f.clientOrderNo(), f.quantity(), f.status(),
        f.statusAt(), f.amount(), f.cost() + cost, f.currency(), f.createdAt(), f.supplierId(), f.pendingCost());
  }

  private SalesRow sales(OrderFactRow f, Instant at, long orders, long units, long revenue, long cost, long refunds,
      long refundedOrders) {
    return new SalesRow(days.dayOf(at), f.skuId(), f.channelId(), orders, units, revenue, cost, refunds, refundedOrders,
        f.currency());
  }

  private SupplierDayRow supplier(String supplierId, Instant at, long submitted, long succeeded, long failed,
      long undecided, long cost, String currency) {
    LocalDate day = days.dayOf(at);
    return new SupplierDayRow(day, supplierId, submitted, succeeded, failed, undecided, cost, currency);
  }

  private static long amountOf(Money money) {
    return money == null ? 0 : money.amount();
  }
}
