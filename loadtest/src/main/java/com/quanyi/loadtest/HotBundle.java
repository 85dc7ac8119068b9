package com.quanyi.loadtest;

import java.io.PrintStream;
import java.util.Random;

/**
 * One hot benefit bundle (one code of each of two card-code SKUs), one channel, a fresh order
 * number per request, until a part is sold out or the time is up: what all-or-nothing allocation
 * across two inventories costs next to {@link HotSku}.
 */
final class HotBundle implements Scenario {

  static final long PRICE = 150;
  private final int codes;
  private final Buyers buyers = new Buyers(1_000_000);
  private Admin.Channel channel;
  private String bundleId;
  private String[] parts;
  private long deposit;

  HotBundle(int codes) {
    this.codes = codes;
  }

  @Override
  public void setUp(Admin admin) {
    deposit = PRICE * codes * 2;
    channel = admin.channel("bundle", deposit);
    parts = new String[] {admin.sku("part-a", codes, "LOW"), admin.sku("part-b", codes, "LOW")};
    bundleId = admin.bundle("bundle", parts);
    admin.price(channel, bundleId, PRICE);
  }

  @Override
  public Order next(int client, Random random) {
    return buyers.order(channel, bundleId, Buyers.orderNo(client, random), PRICE, random);
  }

  @Override
  public boolean exhausted(Tally tally) {
    return tally.count("422 OUT_OF_STOCK") > 0;
  }

  @Override
  public int check(Admin admin, Tally tally, PrintStream out) {
    return Checks.stockAndMoney(admin, tally, out, channel, deposit, parts);
  }
}
