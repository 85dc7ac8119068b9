package com.quanyi.node.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.testkit.EntityTestKit;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.InventoryProtocol.AlreadyRegistered;
import com.quanyi.protocol.inventory.InventoryProtocol.Command;
import com.quanyi.protocol.inventory.InventoryProtocol.Event;
import com.quanyi.protocol.inventory.InventoryProtocol.Found;
import com.quanyi.protocol.inventory.InventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.InventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.InventoryProtocol.NotFound;
import com.quanyi.protocol.inventory.InventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.InventoryProtocol.Registered;
import com.quanyi.protocol.inventory.InventoryProtocol.Registration;
import com.quanyi.protocol.inventory.InventoryProtocol.SkuRegistered;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.SkuStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SkuInventoryTest {

  private static final ActorTestKit testKit = EntityTestKit.create();
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  private EventSourcedBehaviorTestKit<Command, Event, SkuInventory.State> sku;

  @BeforeEach
  void fresh() {
    sku = EventSourcedBehaviorTestKit.create(testKit.system(),
        SkuInventory.create("steam-100", Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static SkuDefinition steam() {
    return new SkuDefinition("steam-100", "Steam Wallet 100", SkuKind.CARD_CODE, Money.of(10000, "CNY"),
        Money.of(9800, "CNY"), RiskLevel.HIGH, 2, SkuStatus.LISTED);
  }

  @Test
  void registeringPersistsTheDefinitionWithWhoAndWhen() {
    CommandResultWithReply<Command, Event, SkuInventory.State, Registration> result =
        sku.<Registration>runCommand(replyTo -> new RegisterSku(steam(), "ops-alice", replyTo));
    assertEquals(new SkuRegistered(steam(), "ops-alice", NOW), result.event());
    Registered registered = assertInstanceOf(Registered.class, result.reply());
    assertEquals(steam(), registered.sku().definition());
    assertEquals(NOW, registered.sku().registeredAt());
  }

  @Test
  void registeringTwiceChangesNothing() {
    sku.<Registration>runCommand(replyTo -> new RegisterSku(steam(), "ops-alice", replyTo));
    SkuDefinition other = new SkuDefinition("steam-100", "Renamed", SkuKind.CARD_CODE, Money.of(1, "CNY"),
        Money.of(1, "CNY"), RiskLevel.LOW, SkuDefinition.UNLIMITED, SkuStatus.UNLISTED);
    CommandResultWithReply<Command, Event, SkuInventory.State, Registration> again =
        sku.<Registration>runCommand(replyTo -> new RegisterSku(other, "ops-bob", replyTo));
    assertTrue(again.hasNoEvents());
    assertEquals(steam(), assertInstanceOf(AlreadyRegistered.class, again.reply()).sku().definition());
  }

  @Test
  void lookupBeforeAndAfterRegistration() {
    CommandResultWithReply<Command, Event, SkuInventory.State, Lookup> before = sku.runCommand(GetSku::new);
    assertInstanceOf(NotFound.class, before.reply());
    assertTrue(before.hasNoEvents());

    sku.<Registration>runCommand(replyTo -> new RegisterSku(steam(), "ops-alice", replyTo));
    Found found = assertInstanceOf(Found.class, sku.<Lookup>runCommand(GetSku::new).reply());
    assertEquals(steam(), found.sku().definition());
  }

  @Test
  void theRegistrationIsRecoveredFromItsEvent() {
    sku.<Registration>runCommand(replyTo -> new RegisterSku(steam(), "ops-alice", replyTo));
    sku.restart();
    Found found = assertInstanceOf(Found.class, sku.<Lookup>runCommand(GetSku::new).reply());
    assertEquals(steam(), found.sku().definition());
    assertEquals(NOW, found.sku().registeredAt());
  }
}
