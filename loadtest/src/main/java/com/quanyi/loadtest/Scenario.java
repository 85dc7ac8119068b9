package com.quanyi.loadtest;

import java.io.PrintStream;
import java.util.Random;

/** What the clients send, how it is set up, and what must hold afterwards. */
interface Scenario {

  /** Channels, SKUs, codes, prices and rules, through the admin API. */
  void setUp(Admin admin);

  /** The next request of client {@code client} (each client is one thread). */
  Order next(int client, Random random);

  /** What the platform must show afterwards (balances, stock); prints and returns the violations found. */
  int check(Admin admin, Tally tally, PrintStream out);

  /** Whether the scenario has run out of what it measures (a hot SKU sold out). */
  default boolean exhausted(Tally tally) {
    return false;
  }

  static Scenario named(String name, int codes) {
    return switch (name) {
      case "hot" -> new HotSku(codes);
      case "soldout" -> new SoldOut();
      case "mix" -> new Mix(codes);
      case "retry" -> new Retries(codes);
      case "bundle" -> new HotBundle(codes);
      default -> throw new IllegalArgumentException("scenario is hot, soldout, mix, retry or bundle, not " + name);
    };
  }
}
