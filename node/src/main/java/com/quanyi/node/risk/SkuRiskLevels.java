package com.quanyi.node.risk;

import com.quanyi.node.Replies;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.RiskLevel;
import java.util.concurrent.Executor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Each SKU's risk level as the order path needs it, cached a few seconds per node: an operator's
 * change of a SKU's level is in force everywhere within {@code cachedFor}. A SKU whose inventory
 * does not answer counts as HIGH, the strictest level.
 */
final class SkuRiskLevels {

  private record Cached(RiskLevel level, long until) {}

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final Duration askTimeout;
  private final long cachedForNanos;

  SkuRiskLevels(ActorSystem<?> system, Duration cachedFor, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
    this.cachedForNanos = cachedFor.toNanos();
  }

  CompletionStage<RiskLevel> levelOf(String skuId) {
    Cached cached = cache.get(skuId);
    long now = System.nanoTime();
    if (cached != null && cached.until() - now > 0) {
      return CompletableFuture.completedFuture(cached.level());
    }
    return Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
        .<Lookup>ask(SkuInventoryProtocol.GetSku::new, askTimeout))
        .handle((lookup, failure) -> {
          if (lookup instanceof Found found) {
            RiskLevel level = found.sku().definition().riskLevel();
            cache.put(skuId, new Cached(level, System.nanoTime() + cachedForNanos));
            return level;
          }
          return RiskLevel.HIGH;
        });
  }
}
