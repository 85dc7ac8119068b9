package com.quanyi.loadtest;

import java.io.PrintStream;
import java.util.Random;

/** One hot SKU, one channel, a fresh order number per request, until the SKU is sold out or the time is up. */
final class HotSku implements Scenario {

  static final long PRICE = 90;
  private final int codes;
  private final Buyers buyers = new Buyers(1_000_000);
  private Admin.Channel channel;
  private String skuId;
  private long deposit;

  HotSku(int codes) {
    this.codes = codes;
  }

  @Override
  public void setUp(Admin admin) {
    Admin.Shop shop = admin.shop("hot", codes, PRICE);
    channel = shop.channel();
    skuId = shop.skuId();
    deposit = shop.deposit();
  }

  @Override
  public Order next(int client, Random random) {
    return buyers.order(channel, skuId, Buyers.orderNo(client, random), PRICE, random);
  }

  @Override
  public boolean exhausted(Tally tally) {
    return tally.count("422 OUT_OF_STOCK") > 0;
  }

  @Override
  public int check(Admin admin, Tally tally, PrintStream out) {
    return Checks.stockAndMoney(admin, tally, out, channel, deposit, skuId);
  }
}
