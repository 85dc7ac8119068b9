package com.quanyi.node.inventory;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * @param maxWaitingAllocations allocations one SKU queues behind its in-flight write before it
 *     answers "overloaded": the bound that keeps a hot SKU from drowning its node
 * @param holdWindow how long an order's allocation is remembered for idempotent retries
 * @param snapshotEvery events between snapshots, which bound recovery time
 */
public record InventorySettings(int maxWaitingAllocations, Duration holdWindow, int snapshotEvery) {

  public static InventorySettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.inventory");
    return new InventorySettings(c.getInt("max-waiting-allocations"), c.getDuration("hold-window"),
        c.getInt("snapshot-every"));
  }

  public static InventorySettings defaults() {
    return new InventorySettings(4096, Duration.ofMinutes(15), 500);
  }
}
