package com.quanyi.protocol.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quanyi.protocol.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkuRequestTest {

  private static SkuRequest request(String name, Money face, Money list, Integer maxPerBuyer) {
    return new SkuRequest("netease-100", name, SkuKind.CARD_CODE, face, list, RiskLevel.MEDIUM, maxPerBuyer, null, null, null, null);
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

  private static SkuDefinition bundle(List<BundlePart> parts, int maxPerBuyer) {
    return new SkuDefinition("pack", "Pack", SkuKind.BUNDLE, Money.of(5000, "CNY"), Money.of(4500, "CNY"),
        RiskLevel.LOW, maxPerBuyer, SkuStatus.LISTED, 0, null, parts);
  }

  @Test
  void aBundleIsMadeOfDistinctPartsOtherThanItselfAndRefusesSettingsItWouldIgnore() {
    assertEquals(List.of(new BundlePart("a", 1), new BundlePart("b", 2)),
        bundle(List.of(new BundlePart("a", 1), new BundlePart("b", 2)), 0).parts());
    assertThrows(IllegalArgumentException.class, () -> bundle(null, 0));
    assertThrows(IllegalArgumentException.class, () -> bundle(List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> bundle(List.of(new BundlePart("pack", 1)), 0));
    assertThrows(IllegalArgumentException.class,
        () -> bundle(List.of(new BundlePart("a", 1), new BundlePart("a", 2)), 0));
    assertThrows(IllegalArgumentException.class, () -> bundle(List.of(new BundlePart("a", 1)), 2));
    assertThrows(IllegalArgumentException.class, () -> new BundlePart("a", 0));
    assertThrows(IllegalArgumentException.class, () -> new BundlePart("a", 101));
    assertThrows(IllegalArgumentException.class, () -> new SkuDefinition("card", "Card", SkuKind.CARD_CODE,
        Money.of(1, "CNY"), Money.of(1, "CNY"), RiskLevel.LOW, 0, SkuStatus.LISTED, 0, null,
        List.of(new BundlePart("a", 1))));
    assertEquals(null, request("n", Money.of(1, "CNY"), Money.of(1, "CNY"), null).toDefinition().parts());
  }

  @Test
  void aBundlesTopupPartsAreToppedUpOnceEachAndItHasAtLeastOneCardCodePart() {
    BundlePart card = new BundlePart("a", 2, SkuKind.CARD_CODE);
    BundlePart topup = new BundlePart("t", 1, SkuKind.DIRECT_TOPUP);
    assertEquals(List.of(card, topup), bundle(List.of(card, topup), 0).parts());
    assertThrows(IllegalArgumentException.class, () -> new BundlePart("t", 2, SkuKind.DIRECT_TOPUP));
    BundlePart another = new BundlePart("u", 1, SkuKind.DIRECT_TOPUP, null, TopupFailure.REFUND_PART);
    assertEquals(3, bundle(List.of(card, topup, another), 0).parts().size(), "several top-up parts");
    BundlePart whole = new BundlePart("u", 1, SkuKind.DIRECT_TOPUP, null, TopupFailure.REFUND_BUNDLE);
    assertEquals(2, bundle(List.of(card, whole), 0).parts().size(), "the whole bundle, with one top-up part");
    assertThrows(IllegalArgumentException.class, () -> bundle(List.of(card, topup, whole), 0),
        "but not with several: an earlier top-up cannot be undone");
    assertThrows(IllegalArgumentException.class, () -> bundle(List.of(topup), 0));
  }

  @Test
  void onlyTheTopupPartHasAFailurePolicyAndItRefundsThePartUnlessTheRequestSaysTheBundle() {
    Money five = Money.of(500, "CNY");
    BundlePart asked = new BundlePart("t", 1, null, null, null);
    assertEquals(TopupFailure.REFUND_PART, asked.of(SkuKind.DIRECT_TOPUP, five).onFailure());
    assertEquals(five, asked.of(SkuKind.DIRECT_TOPUP, five).faceValue());
    assertEquals(TopupFailure.REFUND_BUNDLE, new BundlePart("t", 1, null, null, TopupFailure.REFUND_BUNDLE)
        .of(SkuKind.DIRECT_TOPUP, five).onFailure());
    assertNull(new BundlePart("a", 2, null, null, null).of(SkuKind.CARD_CODE, five).onFailure());
    BundlePart cardWithPolicy = new BundlePart("a", 2, null, null, TopupFailure.REFUND_PART);
    assertThrows(IllegalArgumentException.class, () -> cardWithPolicy.of(SkuKind.CARD_CODE, five));
  }
}
