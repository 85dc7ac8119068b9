package com.quanyi.node.projection;

/**
 * The tags the projections read events by. Each kind of entity (orders, channel accounts, SKU
 * inventories) spreads its events over {@code quanyi.projections.tags} tags by entity id, so one
 * entity's events all carry the same tag (and reach one projection instance, in order) while the
 * instances of a projection share the work across the cluster.
 */
public final class EventTags {

  public static final String ORDER = "order";
  public static final String ACCOUNT = "account";
  public static final String SKU = "sku";

  private EventTags() {}

  public static String tagFor(String kind, String entityId, int tags) {
    return kind + "-" + Math.floorMod(entityId.hashCode(), tags);
  }

  public static String tag(String kind, int index) {
    return kind + "-" + index;
  }
}
