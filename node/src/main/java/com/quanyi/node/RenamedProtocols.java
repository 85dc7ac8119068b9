package com.quanyi.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Each entity's protocol is named after the entity (2026-11-30: {@code ChannelProtocol} became
 * {@code ChannelAccountProtocol}, and so on). Events, snapshots and index rows written before carry
 * the old class names in their manifests; this migration reads them as the renamed classes, so a
 * journal from before the rename still recovers (one event, {@code TopupSettled}, is now
 * {@code TopupResolved}). The JSON itself did not change.
 */
public final class RenamedProtocols extends JacksonMigration {

  private static final String PROTOCOL = "com.quanyi.protocol.";

  /** Old outer class → new outer class, both under {@value #PROTOCOL}. */
  static final Map<String, String> RENAMED = Map.ofEntries(
      Map.entry("admin.AdminProtocol", "admin.AdminDirectoryProtocol"),
      Map.entry("callback.CallbackProtocol", "callback.CallbackOutboxProtocol"),
      Map.entry("channel.ChannelProtocol", "channel.ChannelAccountProtocol"),
      Map.entry("channel.NonceProtocol", "channel.NonceRegistryProtocol"),
      Map.entry("commission.CommissionProtocol", "commission.CommissionBookProtocol"),
      Map.entry("inventory.InventoryProtocol", "inventory.SkuInventoryProtocol"),
      Map.entry("order.OrderProtocol", "order.OrderProcessProtocol"),
      Map.entry("order.ReviewProtocol", "order.ReviewQueueProtocol"),
      Map.entry("risk.RiskProtocol", "risk.RiskProfileProtocol"),
      Map.entry("risk.RiskRulesProtocol", "risk.RiskRuleBookProtocol"),
      Map.entry("supplier.SupplierProtocol", "supplier.SupplierDirectoryProtocol"),
      Map.entry("vault.VaultProtocol", "vault.FingerprintShardProtocol"));

  /** Persisted classes that also changed their own name (old → new, full names under {@value #PROTOCOL}). */
  static final Map<String, String> RENAMED_EVENTS = Map.of(
      "order.OrderProtocol$TopupSettled", "order.OrderProcessProtocol$TopupResolved");

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    String renamed = RENAMED_EVENTS.get(className.substring(PROTOCOL.length()));
    if (renamed != null) {
      return PROTOCOL + renamed;
    }
    int nested = className.indexOf('$');
    String outer = className.substring(PROTOCOL.length(), nested);
    return PROTOCOL + RENAMED.get(outer) + className.substring(nested);
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }

  /**
   * {@code pekko.serialization.jackson.migrations} naming this migration for the old name of every
   * class nested in a renamed protocol (the setting is keyed by the name found in the manifest).
   */
  static Config migrations() {
    Map<String, String> byOldName = new HashMap<>();
    RENAMED.forEach((oldOuter, newOuter) -> {
      try {
        collect(Class.forName(PROTOCOL + newOuter), PROTOCOL + newOuter, PROTOCOL + oldOuter, byOldName);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("a renamed protocol is missing: " + newOuter, e);
      }
    });
    RENAMED_EVENTS.keySet().forEach(oldName -> byOldName.put(PROTOCOL + oldName, RenamedProtocols.class.getName()));
    return ConfigFactory.empty().withValue("pekko.serialization.jackson.migrations",
        ConfigValueFactory.fromMap(byOldName));
  }

  private static void collect(Class<?> type, String newOuter, String oldOuter, Map<String, String> byOldName) {
    for (Class<?> nested : type.getDeclaredClasses()) {
      // fromMap takes keys as they are: a class name's dots are not a path.
      byOldName.put(oldOuter + nested.getName().substring(newOuter.length()), RenamedProtocols.class.getName());
      collect(nested, newOuter, oldOuter, byOldName);
    }
  }
}
