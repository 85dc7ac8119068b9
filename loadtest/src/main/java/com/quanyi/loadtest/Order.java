package com.quanyi.loadtest;

import java.nio.charset.StandardCharsets;

/** One order request as a channel sends it; {@code key} names the order across retries (channel and number). */
record Order(Admin.Channel channel, String skuId, String clientOrderNo, int quantity, String userId, String ip,
    String deviceId, long price) {

  String key() {
    return channel.id() + "~" + clientOrderNo;
  }

  byte[] body() {
    return ("{\"clientOrderNo\":\"" + clientOrderNo + "\",\"skuId\":\"" + skuId + "\",\"quantity\":" + quantity
        + ",\"buyer\":{\"userId\":\"" + userId + "\",\"ip\":\"" + ip + "\",\"deviceId\":\"" + deviceId + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
