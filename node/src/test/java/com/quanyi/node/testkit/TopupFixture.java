package com.quanyi.node.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.node.supplier.sim.SupplierSimulator;
import com.quanyi.node.testkit.Partners.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a top-up test stands on: suppliers simulated over real HTTP and registered with the node,
 * a mobile top-up SKU routed to them in order, and a channel that buys it at {@link #PRICE}. The
 * simulators are closed after each test: {@code @RegisterExtension final TopupFixture topups = ...}.
 */
public final class TopupFixture implements AfterEachCallback {

  public static final long PRICE = 4900;
  /** What every simulated supplier charges for one top-up. */
  public static final long UNIT_COST = 4800;

  private final Supplier<HttpTestClient> admin;
  private final List<SupplierSimulator> simulators = new ArrayList<>();

  /** {@code admin}: asked each time, so that a test may restart its node. */
  public TopupFixture(Supplier<HttpTestClient> admin) {
    this.admin = admin;
  }

  /** The suppliers in route order, the SKU routed to them and the channel that buys it. */
  public record Market(Channel channel, String skuId, List<String> supplierIds, List<SupplierSimulator> suppliers) {

    public SupplierSimulator supplier(int index) {
      return suppliers.get(index);
    }

    public String supplierId(int index) {
      return supplierIds.get(index);
    }
  }

  /** A new channel with {@code deposit}, and one supplier per timeout, asked in that order. */
  public Market market(long deposit, int... timeoutsMillis) {
    return market(Partners.channel(admin.get(), deposit), timeoutsMillis);
  }

  /** The same for a channel the test made itself (with a callback URL, for instance). */
  public Market market(Channel channel, int... timeoutsMillis) {
    List<String> ids = new ArrayList<>();
    List<SupplierSimulator> suppliers = new ArrayList<>();
    for (int timeout : timeoutsMillis) {
      String id = "s" + (char) ('a' + ids.size()) + "-" + UUID.randomUUID().toString().substring(0, 6);
      suppliers.add(supplier(id, timeout));
      ids.add(id);
    }
    return new Market(channel, topupSku(channel, ids), List.copyOf(ids), List.copyOf(suppliers));
  }

  private SupplierSimulator supplier(String id, int timeoutMillis) {
    String secret = "secret-of-" + id + "-0123456789";
    SupplierSimulator simulator;
    try {
      simulator = new SupplierSimulator(0, "quanyi", secret, simulators.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    simulators.add(simulator);
    assertEquals(201, admin.get().post("/admin/v1/suppliers", TestNodes.ADMIN_TOKEN, """
        {"supplierId": "%s", "name": "Sim", "endpoint": "%s", "apiKey": "quanyi", "apiSecret": "%s",
         "timeoutMillis": %d, "maxConcurrent": 20}""".formatted(id, simulator.uri(), secret, timeoutMillis)).status());
    return simulator;
  }

  private String topupSku(Channel c, List<String> supplierIds) {
    String skuId = "cm50-" + UUID.randomUUID().toString().substring(0, 8);
    HttpTestClient api = admin.get();
    assertEquals(201, api.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
        {"skuId": "%s", "name": "China Mobile 50", "kind": "DIRECT_TOPUP", "faceValue": {"amount": 5000, "currency": "CNY"},
         "listPrice": {"amount": 4950, "currency": "CNY"}, "riskLevel": "MEDIUM", "accountPattern": "1[3-9][0-9]{9}"}"""
        .formatted(skuId)).status());
    List<String> entries = new ArrayList<>();
    for (String id : supplierIds) {
      entries.add("{\"supplierId\": \"" + id + "\", \"productCode\": \"cm-50\", \"unitCost\": {\"amount\": " + UNIT_COST
          + ", \"currency\": \"CNY\"}}");
    }
    assertEquals(200, api.send("PUT", "/admin/v1/skus/" + skuId + "/suppliers", TestNodes.ADMIN_TOKEN, "application/json",
        ("{\"route\": [" + String.join(",", entries) + "]}").getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(200, api.send("PUT", "/admin/v1/channels/" + c.id() + "/prices/" + skuId, TestNodes.ADMIN_TOKEN,
        "application/json", ("{\"price\": {\"amount\": " + PRICE + ", \"currency\": \"CNY\"}}").getBytes()).status());
    return skuId;
  }

  /** A top-up order's body. */
  public static String topup(String no, String skuId, String account) {
    return """
        {"clientOrderNo": "%s", "skuId": "%s", "quantity": 1, "buyer": {"userId": "u-1", "ip": "203.0.113.5"},
         "rechargeAccount": "%s"}""".formatted(no, skuId, account);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    simulators.forEach(SupplierSimulator::close);
    simulators.clear();
  }
}
