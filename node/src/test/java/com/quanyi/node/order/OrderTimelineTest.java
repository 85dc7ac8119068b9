package com.quanyi.node.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.http.order.OrderService.TimelineEntry;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderTimelineTest {

  private static final Instant AT = Instant.parse("2026-12-01T02:00:00Z");
  private static final OrderRequest REQUEST = new OrderRequest("shop", "N-1", "gc-100", 2,
      new OrderRequest.Buyer("u-1", "10.0.0.1", null), "13800138000", null);

  @Test
  void anAcceptanceSaysWhatWasChargedAndWhyItIsHeldButNeverTheRechargeAccount() {
    TimelineEntry held = OrderTimeline.entry(new OrderAccepted(REQUEST, List.of(), new Money(19_900, "CNY"), AT,
        OrderStatus.REVIEW, "MANUAL_CHECK", null));
    assertEquals("ACCEPTED", held.kind());
    assertEquals(OrderStatus.REVIEW, held.status());
    assertEquals(AT, held.at());
    assertNull(held.actor(), "the platform did it");
    assertTrue(held.detail().contains("2 × gc-100") && held.detail().contains("199.00 CNY")
        && held.detail().endsWith("; MANUAL_CHECK"), held.detail());
    assertFalse(held.detail().contains("13800138000"), "no buyer's account in the console");
  }

  @Test
  void anOperatorsDecisionNamesTheOperatorAndAFailedTopupItsReasons() {
    TimelineEntry approved = OrderTimeline.entry(new ReviewApproved(List.of(), OrderStatus.DELIVERED, "ops-1", AT, null));
    assertEquals("REVIEW_APPROVED", approved.kind());
    assertEquals("ops-1", approved.actor());
    assertEquals(OrderStatus.DELIVERED, approved.status());
    TimelineEntry failed = OrderTimeline.entry(new TopupFailed(List.of("sa: declined", "sb: timeout"), AT, null));
    assertEquals(OrderStatus.FAILED, failed.status());
    assertTrue(failed.detail().startsWith("sa: declined; sb: timeout"), failed.detail());
  }
}
