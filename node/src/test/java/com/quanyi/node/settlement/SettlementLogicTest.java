package com.quanyi.node.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.commission.CommissionBookProtocol.History;
import com.quanyi.protocol.commission.CommissionRule;
import com.quanyi.protocol.commission.CommissionRuleSet;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPartRefunded;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.reporting.CommissionEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettlementLogicTest {

  private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
  private static final CommissionRuleSet RULES = new CommissionRuleSet(3, List.of(
      new CommissionRule(1, null, 1000, null),
      new CommissionRule(2, null, null, Money.of(20, "CNY")),
      new CommissionRule(1, "sku-x", 333, null)), "ops", T0);

  private static OrderRequest request(String sku, int quantity) {
    return new OrderRequest("leaf", "N-1", sku, quantity, new OrderRequest.Buyer("u", "198.51.100.1", null), null, null);
  }

  private static OrderAccepted delivered(String sku, int quantity, long amount) {
    return new OrderAccepted(request(sku, quantity), List.of(), Money.of(amount, "CNY"), T0, OrderStatus.DELIVERED,
        null, null);
  }

  @Test
  void eachAncestorEarnsItsLevelAndASkusOwnRuleWins() {
    var general = SettlementLogic.apply(null, delivered("sku-a", 3, 3000), 1, List.of("mid", "top"), RULES);
    assertEquals(Map.of("mid", 300L, "top", 60L), general.after().accrued());
    assertEquals(List.of("ACCRUAL", "ACCRUAL"), general.entries().stream().map(CommissionEntry::kind).toList());
    var own = SettlementLogic.apply(null, delivered("sku-x", 1, 1000), 1, List.of("mid", "top"), RULES);
    assertEquals(33, own.after().accrued().get("mid"), "3.33% of 1000, rounded down");
    assertEquals(20, own.after().accrued().get("top"));
  }

  @Test
  void aTopLevelBuyerAccruesNothingAndAMiddleOneOnlyToItsParent() {
    assertTrue(SettlementLogic.apply(null, delivered("sku-a", 1, 1000), 1, List.of(), RULES).entries().isEmpty());
    assertEquals(Map.of("top", 100L),
        SettlementLogic.apply(null, delivered("sku-a", 1, 1000), 1, List.of("top"), RULES).after().accrued());
  }

  @Test
  void aTopupAccruesWhenDeliveredNotWhenAcceptedAndNothingWhenItFails() {
    OrderAccepted processing = new OrderAccepted(request("sku-a", 1), List.of(), Money.of(1000, "CNY"), T0,
        OrderStatus.PROCESSING, null, null);
    var accepted = SettlementLogic.apply(null, processing, 1, List.of("mid"), RULES);
    assertTrue(accepted.entries().isEmpty());
    var failed = SettlementLogic.apply(accepted.after(), new TopupFailed(List.of(), T0, List.of()), 2, List.of("mid"),
        RULES);
    assertTrue(failed.entries().isEmpty());
    var done = SettlementLogic.apply(accepted.after(), new TopupDelivered("s", "x", "r", T0, List.of(), null), 2,
        List.of("mid"), RULES);
    assertEquals(Map.of("mid", 100L), done.after().accrued());
  }

  @Test
  void aBundleWhoseTopupPartFailedAccruesOnlyOnWhatItIsStillChargedAndItsRefundReversesThat() {
    OrderAccepted processing = new OrderAccepted(request("pack", 1), List.of(), Money.of(3000, "CNY"), T0,
        OrderStatus.PROCESSING, null, null);
    var accepted = SettlementLogic.apply(null, processing, 1, List.of("mid"), RULES);
    assertTrue(accepted.entries().isEmpty());
    var partly = SettlementLogic.apply(accepted.after(), new TopupPartRefunded("t", Money.of(2000, "CNY"), List.of(),
        null, T0, List.of()), 2, List.of("mid"), RULES);
    assertEquals(Map.of("mid", 100L), partly.after().accrued(), "10% of 3000 - 2000");
    assertEquals(1000, partly.after().amount());
    var refunded = SettlementLogic.apply(partly.after(), new DeliveredRefunded("complaint", "ops", T0), 3,
        List.of("mid"), RULES);
    assertEquals(List.of(100L), refunded.entries().stream().map(CommissionEntry::amount).toList());
  }

  @Test
  void aRefundReversesExactlyWhatWasAccruedOnce() {
    var accrued = SettlementLogic.apply(null, delivered("sku-a", 2, 2000), 1, List.of("mid", "top"), RULES);
    CommissionRuleSet changed = new CommissionRuleSet(4, List.of(), "ops", T0.plusSeconds(60));
    var refunded = SettlementLogic.apply(accrued.after(), new DeliveredRefunded("bad code", "ops", T0.plusSeconds(120)),
        2, List.of("mid", "top"), changed);
    assertEquals(List.of(200L, 40L), refunded.entries().stream().map(CommissionEntry::amount).sorted((x, y) ->
        Long.compare(y, x)).toList());
    assertTrue(refunded.entries().stream().allMatch(e -> e.kind().equals("REVERSAL")));
    var again = SettlementLogic.apply(refunded.after(), new DeliveredRefunded("bad code", "ops", T0), 3,
        List.of("mid", "top"), changed);
    assertTrue(again.entries().isEmpty());
  }

  @Test
  void theRulesInForceAreThoseOfTheDeliveryTime() {
    CommissionRuleSet later = new CommissionRuleSet(4, List.of(), "ops", T0.plusSeconds(10));
    History history = new History(List.of(RULES, later), T0.plusSeconds(20));
    assertEquals(3, history.inForceAt(T0.plusSeconds(9)).version());
    assertEquals(4, history.inForceAt(T0.plusSeconds(10)).version());
    assertEquals(0, history.inForceAt(T0.minusSeconds(1)).version());
  }

  @Test
  void anEventBeforeTheAcceptanceChangesNothing() {
    assertNull(SettlementLogic.apply(null, new TopupFailed(List.of(), T0, List.of()), 1, List.of(), RULES).after());
  }

  @Test
  void rulesAreCheckedWhenMade() {
    assertThrows(IllegalArgumentException.class, () -> new CommissionRule(3, null, 10, null));
    assertThrows(IllegalArgumentException.class, () -> new CommissionRule(1, null, 10, Money.of(1, "CNY")));
    assertThrows(IllegalArgumentException.class, () -> new CommissionRuleSet(1, List.of(
        new CommissionRule(1, null, 10, null), new CommissionRule(1, null, 20, null)), "ops", T0));
  }
}
