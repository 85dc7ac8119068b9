package com.quanyi.loadtest;

import java.util.Random;

/** Buyers, IPs and devices as flash-sale traffic has them: many buyers, fewer IPs and devices. */
final class Buyers {

  private final int buyers;

  Buyers(int buyers) {
    this.buyers = buyers;
  }

  Order order(Admin.Channel channel, String skuId, String clientOrderNo, long price, Random random) {
    int buyer = random.nextInt(buyers);
    int ip = buyer % 4096;
    return new Order(channel, skuId, clientOrderNo, 1, "u-" + buyer, "10.9." + (ip >> 6) + "." + (ip & 63),
        "dev-" + (buyer % 8192), price);
  }

  static String orderNo(int client, Random random) {
    return "lt" + client + "-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
  }
}
