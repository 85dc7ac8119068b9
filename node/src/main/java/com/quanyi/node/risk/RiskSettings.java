package com.quanyi.node.risk;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code quanyi.risk}: how long the order path waits for the risk profiles, how often each node
 * reads the rule book, when idle profiles passivate, how long a SKU's risk level is cached.
 */
public record RiskSettings(Duration timeout, Duration refreshEvery, Duration profileIdleAfter, Duration skuLevelFor) {

  public static RiskSettings fromConfig(Config config) {
    Config risk = config.getConfig("quanyi.risk");
    return new RiskSettings(risk.getDuration("timeout"), risk.getDuration("refresh-every"),
        risk.getDuration("profile-idle-after"), risk.getDuration("sku-level-cached-for"));
  }
}
