package com.quanyi.node.channel;

import com.quanyi.node.RecentOrders;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * @param maxWaitingDebits debits one account queues behind its in-flight write before answering
 *     "overloaded"
 * @param holdWindow how long an order's charge is remembered for idempotent retries
 * @param maxGroupSize most debits decided and written as one event; 1 turns group commit off
 * @param tags how many tags account events spread over ({@code quanyi.projections.tags})
 * @param reserveFor how long a card-code order's reservation holds money and quota before its debit
 * @param orderNumbersKept how long a charged order number is known as used (after its charge is forgotten)
 */
public record AccountSettings(int maxWaitingDebits, Duration holdWindow, int snapshotEvery, int maxGroupSize, int tags,
    Duration reserveFor, Duration orderNumbersKept) {

  public AccountSettings(int maxWaitingDebits, Duration holdWindow, int snapshotEvery, int maxGroupSize, int tags,
      Duration reserveFor) {
    this(maxWaitingDebits, holdWindow, snapshotEvery, maxGroupSize, tags, reserveFor, RecentOrders.A_DAY);
  }

  public static AccountSettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.channel-account");
    return new AccountSettings(c.getInt("max-waiting-debits"), c.getDuration("hold-window"), c.getInt("snapshot-every"),
        c.getInt("max-group-size"), config.getInt("quanyi.projections.tags"), c.getDuration("reserve-for"),
        c.getDuration("order-numbers-kept"));
  }
}
