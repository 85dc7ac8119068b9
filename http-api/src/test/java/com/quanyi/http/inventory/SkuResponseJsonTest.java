package com.quanyi.http.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.http.ApiJson;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.TopupFailure;
import com.quanyi.protocol.Money;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SkuResponseJsonTest {

  @Test
  void aBundlePartShowsItsSkuQuantityKindFaceValueAndPolicyOnly() {
    assertEquals("{\"skuId\":\"t\",\"quantity\":1,\"kind\":\"DIRECT_TOPUP\","
            + "\"faceValue\":{\"amount\":500,\"currency\":\"CNY\"},\"onFailure\":\"REFUND_PART\"}",
        new String(ApiJson.write(new BundlePart("t", 1, SkuKind.DIRECT_TOPUP, Money.of(500, "CNY"),
            TopupFailure.REFUND_PART)), StandardCharsets.UTF_8));
  }
}
