package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.quanyi.persistence.reporting.ReportDays;
import com.quanyi.persistence.reporting.SalesRow;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.PartSlots;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import com.quanyi.protocol.order.OrderProcessProtocol.SupplierAttempted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPartRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupUndecided;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.reporting.SupplierDayRow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderReportLogicTest {

  private final OrderReportLogic logic = new OrderReportLogic(new ReportDays(ZoneId.of("Asia/Shanghai")));
  // 23:30 UTC on the 21st is the 22nd in Shanghai.
  private final Instant at = Instant.parse("2026-11-21T23:30:00Z");
  private final LocalDate day = LocalDate.parse("2026-11-22");

  private static OrderRequest request() {
    return new OrderRequest("ch-1", "T-1", "sku-t", 2, new OrderRequest.Buyer("u-1", "198.51.100.7", null),
        "13800138000", null);
  }

  @Test
  void aCardOrderCountsItsChargeUnitsAndCostOnItsBusinessDay() {
    var e = logic.apply(null, new OrderAccepted(request(), List.of(), Money.of(1000, "CNY"), at, OrderStatus.DELIVERED,
        null, Money.of(800, "CNY")), 1);
    assertEquals(List.of(new SalesRow(day, "sku-t", "ch-1", 1, 2, 1000, 800, 0, 0, "CNY")), e.sales());
    assertEquals(200, e.sales().get(0).margin());
  }

  @Test
  void aBundleCountsItsChargeAndCostOnItsLineAndItsPartsUnitsOnTheirs() {
    OrderRequest bundle = new OrderRequest("ch-1", "B-1", "pack", 2, new OrderRequest.Buyer("u-1", "198.51.100.7", null),
        null, null);
    var e = logic.apply(null, OrderAccepted.ofBundle(bundle, List.of(
        new PartSlots("part-a", List.of(new SlotRange("b1", 0, 2))),
        new PartSlots("part-b", List.of(new SlotRange("b2", 4, 3), new SlotRange("b3", 0, 1)))),
        Money.of(3000, "CNY"), at, Money.of(1200, "CNY")), 1);
    assertEquals(List.of(new SalesRow(day, "pack", "ch-1", 1, 2, 3000, 1200, 0, 0, "CNY"),
        new SalesRow(day, "part-a", "ch-1", 0, 2, 0, 0, 0, 0, "CNY"),
        new SalesRow(day, "part-b", "ch-1", 0, 4, 0, 0, 0, 0, "CNY")), e.sales());
  }

  @Test
  void aTopupThatFailsOverToASecondSupplierCountsOneFailureOneSuccessAndItsCost() {
    var accepted = logic.apply(null, new OrderAccepted(request(), List.of(), Money.of(1000, "CNY"), at,
        OrderStatus.PROCESSING, null, null), 1);
    assertEquals(0, accepted.sales().get(0).units());
    var first = logic.apply(accepted.after(), new SupplierAttempted("sup-a", "x", at), 2);
    var second = logic.apply(first.after(), new SupplierAttempted("sup-b", "y", at), 3);
    assertEquals(List.of(new SupplierDayRow(day, "sup-a", 0, 0, 1, 0, 0, null),
        new SupplierDayRow(day, "sup-b", 1, 0, 0, 0, 0, null)), second.suppliers());
    var delivered = logic.apply(second.after(), new TopupDelivered("sup-b", "y", "ref", at, List.of(),
        Money.of(900, "CNY")), 4);
    assertEquals(List.of(new SupplierDayRow(day, "sup-b", 0, 1, 0, 0, 900, "CNY")), delivered.suppliers());
    assertEquals(new SalesRow(day, "sku-t", "ch-1", 0, 2, 0, 900, 0, 0, "CNY"), delivered.sales().get(0));
    assertEquals("DELIVERED", delivered.after().status());
  }

  @Test
  void aFailedTopupIsARefundAndItsSupplierAFailure() {
    var accepted = logic.apply(null, new OrderAccepted(request(), List.of(), Money.of(1000, "CNY"), at,
        OrderStatus.PROCESSING, null, null), 1);
    var tried = logic.apply(accepted.after(), new SupplierAttempted("sup-a", "x", at), 2);
    var failed = logic.apply(tried.after(), new TopupFailed(List.of("no"), at, List.of()), 3);
    assertEquals(new SalesRow(day, "sku-t", "ch-1", 0, 0, 0, 0, 1000, 1, "CNY"), failed.sales().get(0));
    assertEquals(List.of(new SupplierDayRow(day, "sup-a", 0, 0, 1, 0, 0, null)), failed.suppliers());
  }

  @Test
  void anUndecidedTopupSettledDeliveredCostsWhatItsSupplierCharges() {
    var accepted = logic.apply(null, new OrderAccepted(request(), List.of(), Money.of(1000, "CNY"), at,
        OrderStatus.PROCESSING, null, null), 1);
    var undecided = logic.apply(accepted.after(), new TopupUndecided("sup-a", "x", "timeout", at,
        Money.of(950, "CNY")), 2);
    assertEquals(1, undecided.suppliers().get(0).undecided());
    var settled = logic.apply(undecided.after(), new TopupResolved(OrderStatus.DELIVERED, "ops", at), 3);
    assertEquals(950, settled.sales().get(0).cost());
    assertEquals(950, settled.suppliers().get(0).cost());
  }

  @Test
  void aBundleWhoseTopupPartFailedCountsDeliveredWithItsShareAsARefundAndALaterRefundGivesOnlyTheRest() {
    OrderRequest bundle = new OrderRequest("ch-1", "B-2", "pack", 1, new OrderRequest.Buyer("u-1", "198.51.100.7", null),
        "13800138000", null);
    var accepted = logic.apply(null, new OrderAccepted(bundle, List.of(new SlotRange("b1", 0, 2)),
        Money.of(3000, "CNY"), at, OrderStatus.PROCESSING, null, Money.of(600, "CNY"), false, List.of(
            new PartSlots("part-a", List.of(new SlotRange("b1", 0, 2))),
            new PartSlots("part-t", List.of(), Money.of(2000, "CNY")))), 1);
    assertEquals(new SalesRow(day, "pack", "ch-1", 1, 0, 3000, 600, 0, 0, "CNY"), accepted.sales().get(0));
    var tried = logic.apply(accepted.after(), new SupplierAttempted("sup-a", "x", at), 2);
    var failed = logic.apply(tried.after(), new TopupPartRefunded("part-t", Money.of(2000, "CNY"), List.of("no"), null,
        at, List.of()), 3);
    assertEquals(List.of(new SalesRow(day, "pack", "ch-1", 0, 1, 0, 0, 2000, 0, "CNY")), failed.sales());
    assertEquals(List.of(new SupplierDayRow(day, "sup-a", 0, 0, 1, 0, 0, null)), failed.suppliers());
    assertEquals("PARTLY_DELIVERED", failed.after().status());
    assertEquals(1000, failed.after().amount(), "what the channel is still charged");
    var refunded = logic.apply(failed.after(), new DeliveredRefunded("complaint", "ops", at), 4);
    assertEquals(new SalesRow(day, "pack", "ch-1", 0, 0, 0, 0, 1000, 1, "CNY"), refunded.sales().get(0));
  }

  @Test
  void aBundlesFirstTopupPartAddsItsCostAndTheLastItsUnitAndTheNextPartsAttemptsStartAfresh() {
    OrderRequest bundle = new OrderRequest("ch-1", "B-4", "pack", 1, new OrderRequest.Buyer("u-1", "198.51.100.7", null),
        "13800138000", null);
    var accepted = logic.apply(null, new OrderAccepted(bundle, List.of(new SlotRange("b1", 0, 1)),
        Money.of(6000, "CNY"), at, OrderStatus.PROCESSING, null, Money.of(7, "CNY"), false, List.of(
            new PartSlots("card", List.of(new SlotRange("b1", 0, 1))), new PartSlots("t1", List.of(), Money.of(2500, "CNY")),
            new PartSlots("t2", List.of(), Money.of(2500, "CNY")))), 1);
    var tried = logic.apply(accepted.after(), new SupplierAttempted("sup-a", "x", at), 2);
    var failedFirst = logic.apply(tried.after(), new TopupPartRefunded("t1", Money.of(2500, "CNY"), List.of("no"), null,
        at, List.of(), OrderStatus.PROCESSING), 3);
    assertEquals(List.of(new SalesRow(day, "pack", "ch-1", 0, 0, 0, 0, 2500, 0, "CNY")), failedFirst.sales(),
        "no unit yet: the bundle is not done");
    assertEquals("PROCESSING", failedFirst.after().status());
    var second = logic.apply(failedFirst.after(), new SupplierAttempted("sup-b", "y", at), 4);
    assertEquals(List.of(new SupplierDayRow(day, "sup-b", 1, 0, 0, 0, 0, null)), second.suppliers(),
        "the first part's supplier is not counted failed again");
    var last = logic.apply(second.after(), new TopupDelivered("sup-b", "y", "ref", at, List.of(), Money.of(4800, "CNY"),
        "t2", OrderStatus.PARTLY_DELIVERED), 5);
    assertEquals(List.of(new SalesRow(day, "pack", "ch-1", 0, 1, 0, 4800, 0, 0, "CNY")), last.sales());
    assertEquals("PARTLY_DELIVERED", last.after().status());
    assertEquals(3500, last.after().amount());
  }

  @Test
  void aBundleHeldForReviewCountsItsPartsAndCostWhenApproved() {
    OrderRequest bundle = new OrderRequest("ch-1", "B-3", "pack", 1, new OrderRequest.Buyer("u-1", "198.51.100.7", null),
        null, null);
    var held = logic.apply(null, new OrderAccepted(bundle, List.of(), Money.of(3000, "CNY"), at, OrderStatus.REVIEW,
        "held", null), 1);
    assertEquals(List.of(new SalesRow(day, "pack", "ch-1", 1, 0, 3000, 0, 0, 0, "CNY")), held.sales());
    var approved = logic.apply(held.after(), new ReviewApproved(List.of(new SlotRange("b1", 0, 2)),
        OrderStatus.DELIVERED, "ops", at, Money.of(40, "CNY"), List.of(
            new PartSlots("part-a", List.of(new SlotRange("b1", 0, 2))))), 2);
    assertEquals(List.of(new SalesRow(day, "pack", "ch-1", 0, 1, 0, 40, 0, 0, "CNY"),
        new SalesRow(day, "part-a", "ch-1", 0, 2, 0, 0, 0, 0, "CNY")), approved.sales());
    assertEquals(40, approved.after().cost());
  }

  @Test
  void anEventBeforeTheAcceptanceChangesNothing() {
    assertNull(logic.apply(null, new TopupFailed(List.of(), at, List.of()), 1).after());
  }
}
