package com.quanyi.http.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.http.ApiJson;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SkuResponseJsonTest {

  @Test
  void aBundlePartShowsItsSkuQuantityAndKindOnly() {
    assertEquals("{\"skuId\":\"t\",\"quantity\":1,\"kind\":\"DIRECT_TOPUP\"}",
        new String(ApiJson.write(new BundlePart("t", 1, SkuKind.DIRECT_TOPUP)), StandardCharsets.UTF_8));
  }
}
