package com.quanyi.node.order;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.risk.RiskVerdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The risk check every order passes once it is priced, before it costs stock or money. The node
 * runs {@link com.quanyi.node.risk.RiskCheck}; {@link #allowAll()} is for tests and benchmarks that
 * measure the order path without it.
 */
@FunctionalInterface
public interface RiskStep {

  /** @param amount what the order will cost the channel */
  CompletionStage<RiskVerdict> assess(OrderRequest request, Money amount);

  /** An order arrived and will be assessed soon: get ready (e.g. start its subjects' profiles). */
  default void prepare(OrderRequest request) {}

  /**
   * Whether assessing asks the buyer's, IP's or device's profiles (rules in force that watch them):
   * then an order is first checked for what refuses it from memory (stock, the buyer's limit), so
   * that a refusal never starts a profile.
   */
  default boolean asksProfiles() {
    return false;
  }

  static RiskStep allowAll() {
    CompletionStage<RiskVerdict> allow = CompletableFuture.completedFuture(RiskVerdict.ALLOW);
    return (request, amount) -> allow;
  }
}
