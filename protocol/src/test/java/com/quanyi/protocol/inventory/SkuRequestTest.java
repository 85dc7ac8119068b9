package com.quanyi.protocol.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quanyi.protocol.Money;
import org.junit.jupiter.api.Test;

class SkuRequestTest {

  private static SkuRequest request(String name, Money face, Money list, Integer maxPerBuyer) {
    return new SkuRequest("netease-100", name, SkuKind.CARD_CODE, face, list, RiskLevel.MEDIUM, maxPerBuyer, null, null, null);
  }

  @Test
  void defaultsToListedAndUnlimited() {
    SkuDefinition d = request("NetEase points 100", Money.of(1000, "CNY"), Money.of(950, "CNY"), null).toDefinition();
    assertEquals(SkuStatus.LISTED, d.status());
    assertEquals(SkuDefinition.UNLIMITED, d.maxPerBuyer());
  }

  @Test
  void namesTheMissingOrInvalidField() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> request(null, Money.of(1, "CNY"), Money.of(1, "CNY"), null).toDefinition());
    assertEquals("name is required", missing.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> request("n", Money.of(1, "CNY"), Money.of(1, "USD"), null).toDefinition());
    assertThrows(IllegalArgumentException.class,
        () -> request("n", Money.of(1, "CNY"), Money.of(1, "CNY"), 0).toDefinition());
    assertThrows(IllegalArgumentException.class,
        () -> request("n", Money.of(1, "CNY"), Money.of(1, "CNY"), 1_000_001).toDefinition());
    assertThrows(IllegalArgumentException.class,
        () -> request("bad\u0000name", Money.of(1, "CNY"), Money.of(1, "CNY"), null).toDefinition());
  }
}
