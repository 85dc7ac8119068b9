package com.quanyi.node.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.TopupFailure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PartShareTest {

  private static BundlePart card(String sku, int quantity, long faceValue) {
    return new BundlePart(sku, quantity, SkuKind.CARD_CODE, Money.of(faceValue, "CNY"), null);
  }

  private static final BundlePart TOPUP = new BundlePart("t", 1, SkuKind.DIRECT_TOPUP, Money.of(5000, "CNY"),
      TopupFailure.REFUND_PART);

  @Test
  void aPartGetsTheChannelsChargeInProportionToTheFaceValueItBrings() {
    // 2 × 1000 + 1 × 3000 + 5000 = 10000 of face value; the top-up brings half of it.
    List<BundlePart> parts = List.of(card("a", 2, 1000), card("b", 1, 3000), TOPUP);
    assertEquals(Optional.of(Money.of(4400, "CNY")), PartShare.of(parts, TOPUP, Money.of(8800, "CNY")));
  }

  @Test
  void roundedDownToTheMinorUnitAndNeverMoreThanTheCharge() {
    List<BundlePart> parts = List.of(card("a", 1, 1), card("b", 1, 1), TOPUP.of(SkuKind.DIRECT_TOPUP,
        Money.of(1, "CNY")));
    assertEquals(Optional.of(Money.of(33, "CNY")), PartShare.of(parts, parts.get(2), Money.of(100, "CNY")));
    List<BundlePart> huge = List.of(card("a", 100, Long.MAX_VALUE / 1000), TOPUP);
    assertTrue(PartShare.of(huge, TOPUP, Money.of(Long.MAX_VALUE / 2, "CNY")).get().amount() <= Long.MAX_VALUE / 2);
  }

  @Test
  void aBundleRegisteredBeforeFaceValuesWereKeptHasNoShare() {
    List<BundlePart> parts = List.of(new BundlePart("a", 1, SkuKind.CARD_CODE), TOPUP);
    assertEquals(Optional.empty(), PartShare.of(parts, TOPUP, Money.of(100, "CNY")));
  }
}
