package com.quanyi.loadtest;

import java.io.PrintStream;
import java.util.Random;

/**
 * Three channels, three SKUs (LOW, MEDIUM, HIGH), risk rules in force, a pool of 20,000 buyers so
 * that velocity windows fill: traffic closer to a promotion's than one hot SKU.
 */
final class Mix implements Scenario {

  private static final String RULES = """
      [{"ruleId": "ip-farm", "subject": "IP", "measure": "DISTINCT_BUYERS", "window": "HOUR", "limit": 200,
        "action": "REJECT", "blockFor": "PT1H", "reason": "IP_FARM"},
       {"ruleId": "buyer-velocity", "subject": "BUYER", "measure": "ORDERS", "window": "MINUTE", "limit": 20,
        "action": "REJECT", "reason": "VELOCITY"},
       {"ruleId": "device-farm", "subject": "DEVICE", "measure": "DISTINCT_BUYERS", "window": "DAY", "limit": 500,
        "action": "REJECT", "reason": "DEVICE_FARM"}]""";

  private final int codes;
  private final Buyers buyers = new Buyers(20_000);
  private final Admin.Channel[] channels = new Admin.Channel[3];
  private final String[] skus = new String[3];
  private final long[] prices = {90, 450, 2900};
  private long deposit;

  Mix(int codes) {
    this.codes = codes;
  }

  @Override
  public void setUp(Admin admin) {
    String[] levels = {"LOW", "MEDIUM", "HIGH"};
    deposit = 2900L * codes;
    for (int i = 0; i < 3; i++) {
      channels[i] = admin.channel("mix" + i, deposit);
      skus[i] = admin.sku("mix-" + levels[i].toLowerCase(), Math.max(1, codes / 3), levels[i]);
    }
    for (Admin.Channel channel : channels) {
      for (int s = 0; s < 3; s++) {
        admin.price(channel, skus[s], prices[s]);
      }
    }
    admin.riskRules(RULES);
  }

  @Override
  public Order next(int client, Random random) {
    int s = random.nextInt(10) < 6 ? 0 : random.nextInt(10) < 7 ? 1 : 2;
    return buyers.order(channels[random.nextInt(3)], skus[s], Buyers.orderNo(client, random), prices[s], random);
  }

  @Override
  public int check(Admin admin, Tally tally, PrintStream out) {
    int violations = 0;
    for (Admin.Channel channel : channels) {
      violations += Checks.stockAndMoney(admin, tally, out, channel, deposit);
    }
    long allocated = 0;
    long delivered = 0;
    for (String sku : skus) {
      allocated += admin.stock(sku).path("allocated").asLong();
      delivered += tally.unitsDelivered(sku);
    }
    out.printf("check: SKUs allocated %d, units delivered %d -> %s%n", allocated, delivered,
        allocated == delivered ? "OK" : "VIOLATED");
    return violations + (allocated == delivered ? 0 : 1);
  }
}
