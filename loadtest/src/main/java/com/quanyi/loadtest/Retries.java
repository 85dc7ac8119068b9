package com.quanyi.loadtest;

import java.io.PrintStream;
import java.util.Random;

/**
 * Channels retrying: half the requests send a client's previous order again, unchanged (200 with the
 * same codes, never a second charge), one in twenty sends its number with other content (409).
 */
final class Retries implements Scenario {

  private final int codes;
  private final Buyers buyers = new Buyers(1_000_000);
  private Admin.Channel channel;
  private String skuId;
  private long deposit;
  private final Order[] previous = new Order[4096];

  Retries(int codes) {
    this.codes = codes;
  }

  @Override
  public void setUp(Admin admin) {
    Admin.Shop shop = admin.shop("retry", codes, HotSku.PRICE);
    channel = shop.channel();
    skuId = shop.skuId();
    deposit = shop.deposit();
  }

  @Override
  public Order next(int client, Random random) {
    Order last = previous[client];
    int dice = random.nextInt(20);
    if (last != null && dice < 10) {
      return last;
    }
    if (last != null && dice == 10) {
      return new Order(last.channel(), last.skuId(), last.clientOrderNo(), 2, last.userId(), last.ip(),
          last.deviceId(), last.price());
    }
    Order order = buyers.order(channel, skuId, Buyers.orderNo(client, random), HotSku.PRICE, random);
    previous[client] = order;
    return order;
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
