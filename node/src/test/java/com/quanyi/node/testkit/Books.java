package com.quanyi.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.quanyi.node.testkit.Partners.Channel;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * What the reports (the projections) say about one channel's orders of one SKU, read over the
 * admin API: what crash tests compare with the entities' own numbers.
 */
public final class Books {

  private Books() {}

  /** The sales ledger's line for the channel and SKU, yesterday to tomorrow (missing: none). */
  public static JsonNode salesLine(HttpTestClient admin, Channel c, String skuId) {
    LocalDate day = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    JsonNode lines = admin.get("/admin/v1/reports/sales?from=" + day.minusDays(1) + "&to=" + day.plusDays(1)
        + "&groupBy=sku,channel&channelId=" + c.id(), TestNodes.ADMIN_TOKEN).json().path("lines");
    for (JsonNode line : lines) {
      if (line.path("skuId").asText().equals(skuId)) {
        return line;
      }
    }
    return MissingNode.getInstance();
  }

  public static long salesUnits(HttpTestClient admin, Channel c, String skuId) {
    return salesLine(admin, c, skuId).path("units").asLong();
  }

  /** Revenue net of refunds. */
  public static long salesNet(HttpTestClient admin, Channel c, String skuId) {
    JsonNode line = salesLine(admin, c, skuId);
    return line.path("revenue").asLong() - line.path("refunds").asLong();
  }

  /** The ledger check names neither the channel nor the SKU (other tests' leftovers may differ). */
  public static boolean ledgerClean(HttpTestClient admin, Channel c, String skuId) {
    JsonNode check = admin.get("/admin/v1/reports/ledger-check", TestNodes.ADMIN_TOKEN).json();
    if (!check.has("differences")) {
      return false;
    }
    for (JsonNode difference : check.path("differences")) {
      String id = difference.path("id").asText();
      if (id.equals(c.id()) || id.equals(skuId)) {
        return false;
      }
    }
    return true;
  }
}
