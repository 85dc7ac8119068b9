package com.quanyi.loadtest;

import java.io.PrintStream;
import java.util.Random;

/**
 * A hot SKU with channels retrying: half the requests send a client's previous order again,
 * unchanged (200 with the same codes, never a second charge), one in twenty sends its number with
 * other content (409). New orders, the end of the run and the checks are the hot SKU's.
 */
final class Retries implements Scenario {

  private final HotSku hot;
  private final Order[] previous = new Order[4096];

  Retries(int codes) {
    this.hot = new HotSku(codes);
  }

  @Override
  public void setUp(Admin admin) {
    hot.setUp(admin);
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
    Order order = hot.next(client, random);
    previous[client] = order;
    return order;
  }

  @Override
  public boolean exhausted(Tally tally) {
    return hot.exhausted(tally);
  }

  @Override
  public int check(Admin admin, Tally tally, PrintStream out) {
    return hot.check(admin, tally, out);
  }
}
