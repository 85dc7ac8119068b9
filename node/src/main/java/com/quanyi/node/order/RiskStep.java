package com.quanyi.node.order;

import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.risk.RiskVerdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The risk check every order passes first, before it costs stock or money. The order path always
 * asks it; until risk profiles exist, the node runs {@link #allowAll()}.
 */
@FunctionalInterface
public interface RiskStep {

  CompletionStage<RiskVerdict> assess(OrderRequest request);

  static RiskStep allowAll() {
    CompletionStage<RiskVerdict> allow = CompletableFuture.completedFuture(RiskVerdict.ALLOW);
    return request -> allow;
  }
}
