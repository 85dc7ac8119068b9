package com.quanyi.loadtest;

import java.io.PrintStream;

/** The invariants a run can check from outside: no code twice, stock and money exact. */
final class Checks {

  private Checks() {}

  static int stockAndMoney(Admin admin, Tally tally, PrintStream out, Admin.Channel channel, long deposit,
      String... skuIds) {
    int violations = 0;
    long balance = admin.balance(channel);
    long expected = deposit - tally.charged(channel.id());
    out.printf("check: channel %s balance %d, deposit %d - charged %d = %d -> %s%n", channel.id(), balance, deposit,
        tally.charged(channel.id()), expected, balance == expected ? "OK" : "VIOLATED");
    violations += balance == expected ? 0 : 1;
    for (String skuId : skuIds) {
      long allocated = admin.stock(skuId).path("allocated").asLong();
      long delivered = tally.unitsDelivered(skuId);
      out.printf("check: SKU %s allocated %d, units delivered %d -> %s%n", skuId, allocated, delivered,
          allocated == delivered ? "OK" : "VIOLATED");
      violations += allocated == delivered ? 0 : 1;
    }
    return violations;
  }

  static int codes(Tally tally, PrintStream out) {
    out.printf("check: %d distinct codes delivered, %d delivered to a second order, %d repeats answered with "
        + "other codes or a second 201 -> %s%n", tally.distinctCodes(), tally.codeConflicts(), tally.repeatMismatches(),
        tally.codeConflicts() == 0 && tally.repeatMismatches() == 0 ? "OK" : "VIOLATED");
    return (int) (tally.codeConflicts() + tally.repeatMismatches());
  }
}
