package com.quanyi.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients saw: outcomes by status and problem code, latencies while measuring, and every
 * code delivered with the order it went to, so that the end of the run can check that no code
 * went to two orders and that a repeated order got the same codes back.
 */
final class Tally {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final Map<String, String> orderOfCode = new ConcurrentHashMap<>();
  private final Map<String, String> codesOfOrder = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> chargedByChannel = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> unitsBySku = new ConcurrentHashMap<>();
  private final LongAdder codeConflicts = new LongAdder();
  private final LongAdder repeatMismatches = new LongAdder();
  private final long[][] latencies;
  private final int[] recorded;
  private volatile boolean measuring;

  Tally(int clients) {
    latencies = new long[clients][1 << 16];
    recorded = new int[clients];
  }

  void measuring(boolean on) {
    measuring = on;
  }

  void record(int client, Order order, Connection.Response response, long nanos) {
    String outcome = switch (response.status()) {
      case 200, 201 -> Integer.toString(response.status());
      default -> response.status() + " " + problemCode(response.body());
    };
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    if (measuring) {
      if (recorded[client] == latencies[client].length) {
        latencies[client] = Arrays.copyOf(latencies[client], latencies[client].length * 2);
      }
      latencies[client][recorded[client]++] = nanos;
    }
    if (response.status() == 200 || response.status() == 201) {
      delivered(order, response);
    }
  }

  void failed(int client) {
    outcomes.computeIfAbsent("io-error", k -> new LongAdder()).increment();
  }

  private void delivered(Order order, Connection.Response response) {
    List<String> codes = new ArrayList<>();
    // Units by the SKU whose stock they came from: the order's, or each part's of a bundle.
    Map<String, Integer> units = new TreeMap<>();
    try {
      JsonNode body = JSON.readTree(response.body());
      body.path("codes").forEach(c -> codes.add(c.path("code").asText()));
      units.put(order.skuId(), codes.size());
      body.path("parts").forEach(part -> part.path("codes").forEach(c -> {
        codes.add(c.path("code").asText());
        units.merge(part.path("skuId").asText(), 1, Integer::sum);
      }));
    } catch (IOException e) {
      outcomes.computeIfAbsent("unreadable", k -> new LongAdder()).increment();
      return;
    }
    String joined = String.join(",", codes);
    if (response.status() == 201) {
      chargedByChannel.computeIfAbsent(order.channel().id(), k -> new LongAdder()).add(order.price() * order.quantity());
      units.forEach((skuId, count) -> unitsBySku.computeIfAbsent(skuId, k -> new LongAdder()).add(count));
      String earlier = codesOfOrder.putIfAbsent(order.key(), joined);
      if (earlier != null) {
        // A second 201 for one order number: a second charge.
        repeatMismatches.increment();
      }
      for (String code : codes) {
        String owner = orderOfCode.putIfAbsent(code, order.key());
        if (owner != null && !owner.equals(order.key())) {
          codeConflicts.increment();
        }
      }
    } else {
      String first = codesOfOrder.get(order.key());
      if (first != null && !first.equals(joined)) {
        repeatMismatches.increment();
      }
    }
  }

  private static String problemCode(String body) {
    int at = body.indexOf("\"code\":");
    if (at < 0) {
      return "?";
    }
    int start = body.indexOf('"', at + 7) + 1;
    return body.substring(start, body.indexOf('"', start));
  }

  long count(String outcome) {
    LongAdder adder = outcomes.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  Map<String, Long> outcomes() {
    Map<String, Long> all = new TreeMap<>();
    outcomes.forEach((k, v) -> all.put(k, v.sum()));
    return all;
  }

  long charged(String channelId) {
    LongAdder adder = chargedByChannel.get(channelId);
    return adder == null ? 0 : adder.sum();
  }

  long unitsDelivered(String skuId) {
    LongAdder adder = unitsBySku.get(skuId);
    return adder == null ? 0 : adder.sum();
  }

  long distinctCodes() {
    return orderOfCode.size();
  }

  long codeConflicts() {
    return codeConflicts.sum();
  }

  long repeatMismatches() {
    return repeatMismatches.sum();
  }

  /** Latencies recorded while measuring, sorted, in nanoseconds. */
  long[] latencies() {
    int total = Arrays.stream(recorded).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < latencies.length; c++) {
      System.arraycopy(latencies[c], 0, all, at, recorded[c]);
      at += recorded[c];
    }
    Arrays.sort(all);
    return all;
  }
}
