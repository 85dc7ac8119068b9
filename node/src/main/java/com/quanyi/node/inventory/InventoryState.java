package com.quanyi.node.inventory;

import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuView;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A SKU inventory's live state: its catalog definition (once registered) and its stock ledger. */
final class InventoryState {

  private SkuDefinition definition;
  private Instant registeredAt;
  private final StockLedger ledger;

  InventoryState(Duration holdWindow) {
    this.ledger = new StockLedger(holdWindow);
  }

  boolean isRegistered() {
    return definition != null;
  }

  SkuDefinition definition() {
    return definition;
  }

  Instant registeredAt() {
    return registeredAt;
  }

  StockLedger ledger() {
    return ledger;
  }

  SkuView view() {
    return new SkuView(definition, ledger.view(), registeredAt);
  }

  /** Why orders cannot take from this SKU now, if they cannot. */
  Optional<String> unavailableReason() {
    if (!isRegistered()) {
      return Optional.of("no such SKU");
    }
    if (definition.kind() == SkuKind.DIRECT_TOPUP) {
      return Optional.of("SKU is not fulfilled from card codes");
    }
    if (!definition.isListed()) {
      return Optional.of("SKU is not listed");
    }
    return Optional.empty();
  }

  /** A listed bundle's parts: its orders allocate from them, not from this inventory. */
  Optional<List<BundlePart>> bundleParts() {
    return unavailableReason().isEmpty() && definition.isBundle() ? Optional.of(definition.parts())
        : Optional.empty();
  }

  void register(SkuDefinition definition, Instant at) {
    this.definition = definition;
    this.registeredAt = at;
    ledger.countBuyers(definition.limitsBuyers());
  }

  void update(SkuDefinition definition) {
    this.definition = definition;
    if (definition.limitsBuyers() != ledger.countsBuyers()) {
      ledger.countBuyers(definition.limitsBuyers());
    }
  }
}
