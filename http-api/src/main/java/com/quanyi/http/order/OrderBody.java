package com.quanyi.http.order;

/** Body of {@code POST /api/v1/orders}; fields nullable so that a missing one is named in the 400. */
public record OrderBody(String clientOrderNo, String skuId, Integer quantity, BuyerBody buyer, String rechargeAccount,
    String callbackUrl) {

  public record BuyerBody(String userId, String ip, String deviceId) {}
}
