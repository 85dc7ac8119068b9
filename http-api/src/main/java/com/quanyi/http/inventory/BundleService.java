package com.quanyi.http.inventory;

import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.StockView;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** What the catalog asks about a benefit bundle's parts; implemented by the node, which owns the inventories. */
public interface BundleService {

  /** Why a bundle cannot be made of its parts (unknown, not card codes, another currency), if it cannot. */
  CompletionStage<Optional<String>> refusal(SkuDefinition bundle);

  /** A bundle's stock: how many whole bundles its parts' available units make (nothing allocated or frozen of its own). */
  CompletionStage<StockView> stock(SkuDefinition bundle);
}
