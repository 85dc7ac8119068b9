package com.quanyi.node.supplier;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code quanyi.suppliers}: circuits and how long ambiguous top-ups are queried. */
public record SupplierSettings(int failuresToOpen, Duration openFor, Duration queryEvery, Duration resolveWithin,
    Duration recheckAfter) {

  public static SupplierSettings fromConfig(Config config) {
    Config c = config.getConfig("quanyi.suppliers");
    return new SupplierSettings(c.getInt("failures-to-open"), c.getDuration("open-for"), c.getDuration("query-every"),
        c.getDuration("resolve-within"), c.getDuration("recheck-after"));
  }

  public SupplierRouter.Settings routing() {
    return new SupplierRouter.Settings(queryEvery, resolveWithin);
  }
}
