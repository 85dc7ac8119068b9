package com.quanyi.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Risk rules and lists for tests, through the admin API. The rule book is one per cluster and
 * outlives a test class (one Cassandra per test JVM), so every test that sets rules scopes them to
 * its own channel and {@link #clear}s them afterwards.
 */
public final class RiskRules {

  private RiskRules() {}

  /** Replaces the whole rule set (each argument one rule as JSON); answers the response. */
  public static HttpTestClient.Response replace(HttpTestClient admin, String... rules) {
    long version = admin.get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("version").asLong();
    return admin.send("PUT", "/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN, "application/json",
        ("{\"expectedVersion\": " + version + ", \"rules\": [" + String.join(",", rules) + "]}").getBytes());
  }

  /** Waits until every node decides by the rule book's current version. */
  public static void inForceEverywhere(HttpTestClient... nodes) {
    long version = nodes[0].get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("version").asLong();
    for (HttpTestClient node : nodes) {
      Await.until("rule set version " + version + " in force", java.time.Duration.ofSeconds(10),
          () -> node.get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("inForceHere").asLong() >= version);
    }
  }

  /** No rules, no list entries. */
  public static void clear(HttpTestClient admin) {
    replace(admin);
    JsonNode entries = admin.get("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN).json().path("entries");
    for (JsonNode entry : entries) {
      admin.send("DELETE", "/admin/v1/risk/lists/" + entry.path("entryId").asText(), TestNodes.ADMIN_TOKEN,
          "application/json", new byte[0]);
    }
  }

  public static String rule(String ruleId, String channelId, String subject, String measure, String window, long limit,
      String action, String reason, String... extra) {
    List<String> fields = new java.util.ArrayList<>(List.of(
        "\"ruleId\": \"" + ruleId + "\"", "\"channelId\": \"" + channelId + "\"", "\"subject\": \"" + subject + "\"",
        "\"measure\": \"" + measure + "\"", "\"window\": \"" + window + "\"", "\"limit\": " + limit,
        "\"action\": \"" + action + "\"", "\"reason\": \"" + reason + "\""));
    fields.addAll(List.of(extra));
    return "{" + String.join(", ", fields) + "}";
  }

  /** A partner order body with a full buyer. */
  public static String order(String no, String skuId, int quantity, String userId, String ip, String deviceId) {
    return "{\"clientOrderNo\": \"" + no + "\", \"skuId\": \"" + skuId + "\", \"quantity\": " + quantity
        + ", \"buyer\": {\"userId\": \"" + userId + "\", \"ip\": \"" + ip + "\""
        + (deviceId == null ? "" : ", \"deviceId\": \"" + deviceId + "\"") + "}}";
  }
}
