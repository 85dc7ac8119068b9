package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DepositReceived;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFrozen;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
import com.quanyi.protocol.order.OrderStatus;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Events written under a protocol's old name still read after the rename, as the renamed class. */
class RenamedProtocolsTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseResources("quanyi/serialization.conf")
      .withFallback(RenamedProtocols.migrations())
      .withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void anEventStoredUnderItsOldNameReadsAsTheRenamedClass() {
    Serialization serialization = SerializationExtension.get(testKit.system());
    for (Object event : new Object[] {
        new DepositReceived("wire-1", Money.of(700, "CNY"), "finance", Instant.parse("2026-11-01T00:00:00Z")),
        new BatchFrozen("b-1", "operator", Instant.parse("2026-11-02T00:00:00Z")),
        new TopupResolved(OrderStatus.DELIVERED, "operator", Instant.parse("2026-11-03T00:00:00Z"))}) {
      Serializer serializer = serialization.findSerializerFor(event);
      byte[] bytes = serializer.toBinary(event);
      String manifest = ((SerializerWithStringManifest) serializer).manifest(event);
      String oldManifest = manifest.replace("ChannelAccountProtocol", "ChannelProtocol")
          .replace("SkuInventoryProtocol", "InventoryProtocol")
          .replace("OrderProcessProtocol$TopupResolved", "OrderProtocol$TopupSettled");
      assertEquals(event, serialization.deserialize(bytes, serializer.identifier(), oldManifest).get(), oldManifest);
      assertEquals(event, serialization.deserialize(bytes, serializer.identifier(), manifest).get(), manifest);
    }
  }

  @Test
  void everyOldNameLeadsToAClassThatExists() throws Exception {
    RenamedProtocols migration = new RenamedProtocols();
    int names = 0;
    for (String oldName : RenamedProtocols.migrations().getConfig("pekko.serialization.jackson.migrations").root()
        .keySet()) {
      Class.forName(migration.transformClassName(1, oldName));
      names++;
    }
    assertEquals(true, names > 200, names + " class names");
  }
}
