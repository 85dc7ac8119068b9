package com.quanyi.node.order;

import static com.quanyi.node.order.TopupOrderIT.FAST;
import static com.quanyi.node.order.TopupOrderIT.balance;
import static com.quanyi.node.order.TopupOrderIT.finalOrder;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.TopupFixture.PRICE;
import static com.quanyi.node.testkit.TopupFixture.topup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.supplier.sim.SimulatedBehavior;
import com.quanyi.node.supplier.sim.SupplierSimulator;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.node.testkit.TopupFixture;
import com.quanyi.node.testkit.TopupFixture.Market;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that stops while a supplier is topping up: sharding restarts the order's driver (it is
 * remembered in the journal) and the top-up ends once, at the supplier that had received it. One
 * node at a time on the journal: two test clusters must not write the same sharding store.
 */
class TopupRecoveryIT {

  private final AtomicReference<Node> current = new AtomicReference<>();

  @RegisterExtension
  final TopupFixture topups = new TopupFixture(() -> new HttpTestClient(current.get().httpPort()));

  @Test
  void aNodeStoppedDuringASupplierCallFinishesTheTopupOnceAfterRestart() throws Exception {
    current.set(TestNodes.startReady(FAST));
    try {
      Market market = topups.market(100_000, 10_000, 2000);
      SupplierSimulator simA = market.supplier(0);
      SupplierSimulator simB = market.supplier(1);
      Channel c = market.channel();
      String sku = market.skuId();
      // A receives the top-up, does it, and answers only after the node is gone.
      simA.behave(SimulatedBehavior.healthy().withHang(1, Duration.ofSeconds(6)));

      assertEquals(201, signed(current.get(), c, "POST", "/api/v1/orders", topup("K-1", sku, "13600000000")).status());
      Await.until("the top-up reached supplier A", Duration.ofSeconds(10), () -> !simA.ledger().isEmpty());
      current.get().close();
      simA.behave(SimulatedBehavior.healthy());
      current.set(TestNodes.startReady(FAST));
      HttpTestClient after = new HttpTestClient(current.get().httpPort());

      JsonNode order = finalOrder(current.get(), c, "K-1");
      assertEquals("DELIVERED", order.path("status").asText(), order.toString());
      assertEquals(1, simA.toppedUp().size() + simB.toppedUp().size(), "one top-up across both suppliers");
      assertEquals(0, simB.requests(), "B was never asked: A had received the top-up");
      assertTrue(simA.requests() >= 2, "the restarted driver asked A again (same supplier order id)");
      assertEquals(100_000 - PRICE, balance(after, c));
      assertNull(after.get("/admin/v1/orders/" + c.id() + "~K-1", TestNodes.ADMIN_TOKEN).json().get("review"));
    } finally {
      current.get().close();
    }
  }
}
