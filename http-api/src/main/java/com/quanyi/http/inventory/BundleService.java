package com.quanyi.http.inventory;

import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.StockView;
import java.util.concurrent.CompletionStage;

/** What the catalog asks about a benefit bundle's parts; implemented by the node, which owns the inventories. */
public interface BundleService {

  /**
   * The bundle with each part's kind filled in, or why it cannot be made of its parts (unknown, a
   * bundle, another currency, two top-ups, no card code).
   */
  CompletionStage<Resolution> resolved(SkuDefinition bundle);

  /** A bundle's stock: how many whole bundles its card-code parts' available units make (nothing allocated or frozen of its own). */
  CompletionStage<StockView> stock(SkuDefinition bundle);

  /** Exactly one of {@code bundle} and {@code refusal} is set. */
  record Resolution(SkuDefinition bundle, String refusal) {}
}
