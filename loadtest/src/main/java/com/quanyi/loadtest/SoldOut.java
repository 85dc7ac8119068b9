package com.quanyi.loadtest;

import java.io.PrintStream;
import java.util.Random;

/** A SKU whose only code is sold before the load starts: every request is a sold-out refusal. */
final class SoldOut implements Scenario {

  private final Buyers buyers = new Buyers(1_000_000);
  private Admin.Channel channel;
  private String skuId;
  private long deposit;

  @Override
  public void setUp(Admin admin) {
    deposit = 1_000_000;
    channel = admin.channel("soldout", deposit);
    skuId = admin.sku("soldout", 1, "LOW");
    admin.price(channel, skuId, HotSku.PRICE);
  }

  @Override
  public Order next(int client, Random random) {
    return buyers.order(channel, skuId, Buyers.orderNo(client, random), HotSku.PRICE, random);
  }

  @Override
  public int check(Admin admin, Tally tally, PrintStream out) {
    return Checks.stockAndMoney(admin, tally, out, channel, deposit, skuId);
  }
}
