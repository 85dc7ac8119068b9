package com.quanyi.node.inventory;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * @param maxWaitingAllocations allocations one SKU queues behind its in-flight write before it
 *     answers "overloaded": the bound that keeps a hot SKU from drowning its node
 * @param holdWindow how long an order's allocation is remembered for idempotent retries
 * @param snapshotEvery events between snapshots, which bound recovery time
 * @param maxGroupSize most allocations decided and written as one event; 1 turns group commit off
 * @param reconcileAfter how old an unconfirmed hold gets before its order is asked about it
 * @param reconcileEvery how often the inventory looks for such holds
 * @param tags how many tags SKU events spread over ({@code quanyi.projections.tags})
 * @param expiryMargin how long before its expiry a code stops being allocated
 */
public record InventorySettings(int maxWaitingAllocations, Duration holdWindow, int snapshotEvery, int maxGroupSize,
    Duration reconcileAfter, Duration reconcileEvery, int tags, Duration expiryMargin) {

  public InventorySettings {
    if (maxWaitingAllocations < 1 || snapshotEvery < 1 || maxGroupSize < 1 || tags < 1) {
      throw new IllegalArgumentException("inventory settings must be positive");
    }
  }

  public static InventorySettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.inventory");
    return new InventorySettings(c.getInt("max-waiting-allocations"), c.getDuration("hold-window"),
        c.getInt("snapshot-every"), c.getInt("max-group-size"), c.getDuration("reconcile-after"),
        c.getDuration("reconcile-every"), config.getInt("quanyi.projections.tags"), c.getDuration("expiry-margin"));
  }

  public static InventorySettings defaults() {
    return new InventorySettings(16384, Duration.ofMinutes(15), 500, 1000, Duration.ofMinutes(1), Duration.ofSeconds(15), 4,
        Duration.ofHours(1));
  }
}
