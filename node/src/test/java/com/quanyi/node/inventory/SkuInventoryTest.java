package com.quanyi.node.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.testkit.EntityTestKit;
import com.quanyi.node.testkit.ManualClock;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.Reconcile;
import com.quanyi.node.inventory.SkuInventory.ReconcileTick;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AddBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AllocationsConfirmed;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.ConfirmAllocation;
import com.quanyi.node.inventory.SkuInventory.WriteConfirmations;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.node.inventory.SkuInventory.AllocateGroup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AlreadyRegistered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchAdded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFrozen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchUnfrozen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BuyerLimitReached;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Command;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Event;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.FreezeBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Invalid;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.LowStockReached;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.NotFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.NothingToRelease;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OrderSlots;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.HandedOutAgain;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.HeldOtherwise;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Registration;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Release;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Released;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Releasing;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuRegistered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuUnavailable;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuUpdated;
import com.quanyi.node.inventory.SkuInventory.GroupDone;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnfreezeBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsAllocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsReleased;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UpdateSku;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.inventory.ExpiryRun;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.CodesExpired;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.SkuPatch;
import com.quanyi.protocol.inventory.SkuStatus;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.inventory.StockView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SkuInventoryTest {

  private static final ActorTestKit testKit = EntityTestKit.create();
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private static final Money COST = Money.of(9000, "CNY");

  private EventSourcedBehaviorTestKit<Command, Event, InventoryState> sku;
  private TestProbe<Command> front;

  @BeforeEach
  void fresh() {
    front = testKit.createTestProbe();
    // The live state is a mutable ledger; its stored form is checked in the snapshot tests.
    sku = EventSourcedBehaviorTestKit.create(testKit.system(),
        SkuInventory.create("steam-100", front.getRef(), Clock.fixed(NOW, ZoneOffset.UTC),
            new InventorySettings(4096, Duration.ofMinutes(15), 500, 1000, Duration.ofMinutes(1), Duration.ofHours(1), 4,
                Duration.ofMinutes(10))),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static SkuDefinition steam(long lowStockThreshold) {
    return new SkuDefinition("steam-100", "Steam Wallet 100", SkuKind.CARD_CODE, Money.of(10000, "CNY"),
        Money.of(9800, "CNY"), RiskLevel.HIGH, 2, SkuStatus.LISTED, lowStockThreshold);
  }

  private void registered(long lowStockThreshold) {
    sku.<Registration>runCommand(r -> new RegisterSku(steam(lowStockThreshold), "ops-alice", r));
  }

  private BatchFound addBatch(String batchId, long units) {
    return assertInstanceOf(BatchFound.class,
        sku.<BatchLookup>runCommand(r -> new AddBatch(batchId, units, "sup-1", COST, "ops-alice", r)).reply());
  }

  private Allocation allocate(String orderId, int units) {
    return sku.<Allocation>runCommand(r -> new Allocate(orderId, units, r)).reply();
  }

  private StockView stock() {
    return assertInstanceOf(Found.class, sku.<Lookup>runCommand(GetSku::new).reply()).sku().stock();
  }

  @Test
  void registeringPersistsTheDefinitionWithWhoAndWhen() {
    CommandResultWithReply<Command, Event, InventoryState, Registration> result =
        sku.runCommand(replyTo -> new RegisterSku(steam(0), "ops-alice", replyTo));
    assertEquals(new SkuRegistered(steam(0), "ops-alice", NOW), result.event());
    Registered registered = assertInstanceOf(Registered.class, result.reply());
    assertEquals(steam(0), registered.sku().definition());
    assertEquals(new StockView(0, 0, 0), registered.sku().stock());
  }

  @Test
  void registeringTwiceChangesNothing() {
    registered(0);
    SkuDefinition other = new SkuDefinition("steam-100", "Renamed", SkuKind.CARD_CODE, Money.of(1, "CNY"),
        Money.of(1, "CNY"), RiskLevel.LOW, SkuDefinition.UNLIMITED, SkuStatus.UNLISTED, 0);
    CommandResultWithReply<Command, Event, InventoryState, Registration> again =
        sku.runCommand(replyTo -> new RegisterSku(other, "ops-bob", replyTo));
    assertTrue(again.hasNoEvents());
    assertEquals(steam(0), assertInstanceOf(AlreadyRegistered.class, again.reply()).sku().definition());
  }

  @Test
  void anUnregisteredSkuHasNothingAndAllocatesNothing() {
    assertInstanceOf(NotFound.class, sku.<Lookup>runCommand(GetSku::new).reply());
    var update = sku.<Lookup>runCommand(r -> new UpdateSku(new SkuPatch("x", null, null, null, null, null), "ops", r));
    assertInstanceOf(NotFound.class, update.reply());
    var batch = sku.<BatchLookup>runCommand(r -> new AddBatch("b", 1, "s", COST, "ops", r));
    assertInstanceOf(NotFound.class, batch.reply());
    var allocation = sku.<Allocation>runCommand(r -> new Allocate("o-1", 1, r));
    assertInstanceOf(SkuUnavailable.class, allocation.reply());
    var release = sku.<Releasing>runCommand(r -> new Release("o-1", r));
    assertInstanceOf(NothingToRelease.class, release.reply());
    assertTrue(update.hasNoEvents() && batch.hasNoEvents() && allocation.hasNoEvents() && release.hasNoEvents());
  }

  @Test
  void anUpdateChangesOnlyThePatchedFieldsAndRefusesWhatIsInvalid() {
    registered(0);
    CommandResultWithReply<Command, Event, InventoryState, Lookup> update = sku.runCommand(r -> new UpdateSku(
        new SkuPatch(null, Money.of(9500, "CNY"), null, 0, SkuStatus.UNLISTED, 10L), "ops-bob", r));
    SkuDefinition expected = new SkuDefinition("steam-100", "Steam Wallet 100", SkuKind.CARD_CODE,
        Money.of(10000, "CNY"), Money.of(9500, "CNY"), RiskLevel.HIGH, SkuDefinition.UNLIMITED, SkuStatus.UNLISTED, 10);
    assertEquals(new SkuUpdated(expected, "ops-bob", NOW), update.event());
    assertEquals(expected, assertInstanceOf(Found.class, update.reply()).sku().definition());

    CommandResultWithReply<Command, Event, InventoryState, Lookup> wrongCurrency = sku.runCommand(r -> new UpdateSku(
        new SkuPatch(null, Money.of(1, "USD"), null, null, null, null), "ops-bob", r));
    assertTrue(wrongCurrency.hasNoEvents());
    assertInstanceOf(Invalid.class, wrongCurrency.reply());
  }

  @Test
  void batchesAddOnceAndShowTheirCounts() {
    registered(0);
    CommandResultWithReply<Command, Event, InventoryState, BatchLookup> add =
        sku.runCommand(r -> new AddBatch("b-1", 100, "sup-1", COST, "ops-alice", r));
    assertEquals(new BatchAdded("b-1", 100, "sup-1", COST, "ops-alice", NOW), add.event());
    BatchFound added = assertInstanceOf(BatchFound.class, add.reply());
    assertEquals(100, added.batch().available());
    assertEquals(new StockView(100, 0, 0), added.skuStock());

    CommandResultWithReply<Command, Event, InventoryState, BatchLookup> again =
        sku.runCommand(r -> new AddBatch("b-1", 100, "sup-1", COST, "ops-alice", r));
    assertTrue(again.hasNoEvents(), "adding the same batch again is idempotent");
    assertInstanceOf(Invalid.class,
        sku.<BatchLookup>runCommand(r -> new AddBatch("b-1", 99, "sup-1", COST, "ops-alice", r)).reply());
    assertInstanceOf(NotFound.class, sku.<BatchLookup>runCommand(r -> new GetBatch("nope", r)).reply());
  }

  @Test
  void codesWithinTheExpiryMarginLeaveStockBeforeTheNextAllocationAndOnATick() {
    registered(0);
    // Positions 0-4 expire in 5 minutes (inside the 10-minute margin), 5-9 tomorrow.
    List<ExpiryRun> runs = List.of(new ExpiryRun(0, 5, NOW.plus(Duration.ofMinutes(5))),
        new ExpiryRun(5, 5, NOW.plus(Duration.ofDays(1))));
    assertInstanceOf(BatchFound.class, sku.<BatchLookup>runCommand(r -> new AddBatch("b-1", 20, "sup-1", COST, runs,
        "ops-alice", r)).reply());
    Allocated allocated = assertInstanceOf(Allocated.class, allocate("o-1", 2));
    assertEquals(List.of(new SlotRange("b-1", 5, 2)), allocated.slots(), "never a code about to expire");
    assertEquals(new StockView(13, 2, 0), stock());
    BatchFound batch = assertInstanceOf(BatchFound.class, sku.<BatchLookup>runCommand(r -> new GetBatch("b-1", r)).reply());
    assertEquals(5, batch.batch().expired());

    assertInstanceOf(Invalid.class, sku.<BatchLookup>runCommand(r -> new AddBatch("b-2", 10, "sup-1", COST,
        List.of(new ExpiryRun(0, 6, NOW), new ExpiryRun(5, 2, NOW)), "ops-alice", r)).reply(), "overlapping runs");
    assertInstanceOf(Invalid.class, sku.<BatchLookup>runCommand(r -> new AddBatch("b-2", 10, "sup-1", COST,
        List.of(new ExpiryRun(8, 3, NOW)), "ops-alice", r)).reply(), "a run past the batch");
    assertInstanceOf(NotFound.class, sku.<BatchLookup>runCommand(r -> new GetBatch("b-2", r)).reply());
  }

  @Test
  void aTickExpiresCodesWithoutAnyOrder() {
    registered(0);
    sku.<BatchLookup>runCommand(r -> new AddBatch("b-1", 10, "sup-1", COST,
        List.of(new ExpiryRun(3, 4, NOW.minusSeconds(1))), "ops-alice", r));
    var tick = sku.runCommand(new SkuInventory.ReconcileTick());
    assertEquals(new CodesExpired("b-1", new ExpiryRun(3, 4, NOW.minusSeconds(1)), 4, NOW), tick.event());
    assertEquals(new StockView(6, 0, 0), stock());
    assertTrue(sku.runCommand(new SkuInventory.ReconcileTick()).hasNoEvents(), "once");
  }

  @Test
  void allocationTakesOldestBatchFirstAndIsIdempotentPerOrder() {
    registered(0);
    addBatch("b-1", 3);
    addBatch("b-2", 10);
    CommandResultWithReply<Command, Event, InventoryState, Allocation> first =
        sku.runCommand(r -> new Allocate("o-1", 5, r));
    List<SlotRange> slots = List.of(new SlotRange("b-1", 0, 3), new SlotRange("b-2", 0, 2));
    assertEquals(new UnitsAllocated(List.of(new OrderSlots("o-1", slots, null)), NOW), first.event());
    assertEquals(allocated("o-1", slots), first.reply());
    assertEquals(new GroupDone(8), front.receiveMessage(), "the front hears when the group is done");

    CommandResultWithReply<Command, Event, InventoryState, Allocation> retry =
        sku.runCommand(r -> new Allocate("o-1", 5, r));
    assertTrue(retry.hasNoEvents(), "a retried order gets its first allocation, not a second one");
    assertEquals(repeated("o-1", slots), retry.reply());
    CommandResultWithReply<Command, Event, InventoryState, Allocation> other =
        sku.runCommand(r -> new Allocate("o-1", 4, r));
    assertTrue(other.hasNoEvents());
    assertEquals(new HeldOtherwise("o-1"), other.reply(), "the same order id for another quantity is not a repeat");
    assertEquals(new StockView(8, 5, 0), stock());
  }

  @Test
  void aGroupIsDecidedTogetherAndWrittenOnce() {
    registered(0);
    addBatch("b-1", 3);
    TestProbe<Allocation> a = testKit.createTestProbe();
    TestProbe<Allocation> b = testKit.createTestProbe();
    TestProbe<Allocation> c = testKit.createTestProbe();
    TestProbe<Allocation> d = testKit.createTestProbe();
    var result = sku.runCommand(new AllocateGroup(List.of(
        new Allocate("o-a", 2, a.getRef()), new Allocate("o-b", 2, b.getRef()),
        new Allocate("o-c", 1, c.getRef()), new Allocate("o-a", 2, d.getRef()))));
    assertEquals(1, result.events().size(), "one write for the whole group");
    assertEquals(allocated("o-a", List.of(new SlotRange("b-1", 0, 2))), a.receiveMessage());
    assertEquals(new OutOfStock(1), b.receiveMessage());
    assertEquals(allocated("o-c", List.of(new SlotRange("b-1", 2, 1))), c.receiveMessage());
    assertEquals(repeated("o-a", List.of(new SlotRange("b-1", 0, 2))), d.receiveMessage(),
        "the same order twice in one group gets one allocation, and knows it allocated nothing");
    assertEquals(new StockView(0, 3, 0), stock());
  }

  @Test
  void soldOutIsAnsweredWithoutAWrite() {
    registered(0);
    addBatch("b-1", 1);
    allocate("o-1", 1);
    CommandResultWithReply<Command, Event, InventoryState, Allocation> late =
        sku.runCommand(r -> new Allocate("o-2", 1, r));
    assertTrue(late.hasNoEvents());
    assertEquals(new OutOfStock(0), late.reply());
  }

  @Test
  void invalidQuantitiesAndUnlistedSkusAllocateNothing() {
    registered(0);
    addBatch("b-1", 500);
    assertInstanceOf(SkuUnavailable.class, allocate("o-0", 0));
    assertInstanceOf(SkuUnavailable.class, allocate("o-big", 101));
    sku.<Lookup>runCommand(r -> new UpdateSku(new SkuPatch(null, null, null, null, SkuStatus.UNLISTED, null), "ops", r));
    CommandResultWithReply<Command, Event, InventoryState, Allocation> unlisted =
        sku.runCommand(r -> new Allocate("o-1", 1, r));
    assertTrue(unlisted.hasNoEvents());
    assertInstanceOf(SkuUnavailable.class, unlisted.reply());
    assertEquals(new StockView(500, 0, 0), stock());
  }

  @Test
  void releaseGivesUnitsBackOnceAndTheyAreAllocatedAgain() {
    registered(0);
    addBatch("b-1", 3);
    allocate("o-1", 2);
    CommandResultWithReply<Command, Event, InventoryState, Releasing> release =
        sku.runCommand(r -> new Release("o-1", r));
    assertEquals(new UnitsReleased("o-1", List.of(new SlotRange("b-1", 0, 2)), NOW), release.event());
    assertEquals(new Released("o-1", 2), release.reply());
    CommandResultWithReply<Command, Event, InventoryState, Releasing> twice =
        sku.runCommand(r -> new Release("o-1", r));
    assertTrue(twice.hasNoEvents());
    assertInstanceOf(NothingToRelease.class, twice.reply());
    assertEquals(new StockView(3, 0, 0), stock());

    assertEquals(allocated("o-2", List.of(new SlotRange("b-1", 0, 1), new SlotRange("b-1", 1, 1),
        new SlotRange("b-1", 2, 1))), allocate("o-2", 3));
    assertEquals(new StockView(0, 3, 0), stock());
  }

  /**
   * Reconciliation asks about a hold only once no placement was given it for {@code reconcile-after},
   * and its release names that hand-out: a repeat of the order given the units since keeps them (it
   * may be about to write the order on them, and the units would go to a second order). After a
   * restart every hold counts as handed out at the restart.
   */
  @Test
  void reconciliationReleasesOnlyAHoldNoPlacementWasGivenSince() {
    ManualClock clock = new ManualClock(NOW);
    TestProbe<OrderProcessProtocol.Command> orders = testKit.createTestProbe();
    sku = EventSourcedBehaviorTestKit.create(testKit.system(),
        SkuInventory.create("steam-reconciled", front.getRef(), clock,
            new InventorySettings(4096, Duration.ofMinutes(15), 500, 1000, Duration.ofMinutes(1), Duration.ofHours(1), 4,
                Duration.ofMinutes(10)),
            orderId -> orders.getRef()),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
    registered(0);
    addBatch("b-1", 10);
    allocate("o-1", 2);
    clock.advance(Duration.ofSeconds(30));
    sku.runCommand(new ReconcileTick());
    orders.expectNoMessage(Duration.ofMillis(100));

    clock.advance(Duration.ofSeconds(31));
    sku.runCommand(new ReconcileTick());
    Reconcile first = orders.expectMessageClass(Reconcile.class);
    assertEquals("steam-reconciled", first.skuId());
    Allocated repeat = assertInstanceOf(Allocated.class, allocate("o-1", 2));
    assertTrue(repeat.repeat());
    var late = sku.<Releasing>runCommand(r -> new Release("o-1", first.handOut(), r));
    assertTrue(late.hasNoEvents());
    assertEquals(new HandedOutAgain("o-1"), late.reply());
    assertEquals(new StockView(8, 2, 0), stock());
    sku.runCommand(new ReconcileTick());
    orders.expectNoMessage(Duration.ofMillis(100));

    clock.advance(Duration.ofSeconds(61));
    sku.runCommand(new ReconcileTick());
    Reconcile second = orders.expectMessageClass(Reconcile.class);
    assertTrue(second.handOut() != first.handOut());

    sku.restart();
    sku.runCommand(new ReconcileTick());
    orders.expectNoMessage(Duration.ofMillis(100));
    clock.advance(Duration.ofSeconds(61));
    sku.runCommand(new ReconcileTick());
    Reconcile afterRestart = orders.expectMessageClass(Reconcile.class);
    assertEquals(new HandedOutAgain("o-1"),
        sku.<Releasing>runCommand(r -> new Release("o-1", second.handOut(), r)).reply(), "an earlier incarnation's");
    var released = sku.<Releasing>runCommand(r -> new Release("o-1", afterRestart.handOut(), r));
    assertEquals(new Released("o-1", 2), released.reply());
    assertEquals(new StockView(10, 0, 0), stock());

    allocate("o-2", 1);
    sku.runCommand(new ConfirmAllocation("o-2"));
    clock.advance(Duration.ofSeconds(61));
    sku.runCommand(new ReconcileTick());
    orders.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aFrozenBatchIsNotAllocatedAndItsUnitsShowAsFrozenAtOnce() {
    registered(0);
    addBatch("b-1", 5);
    addBatch("b-2", 5);
    allocate("o-1", 1);
    CommandResultWithReply<Command, Event, InventoryState, BatchLookup> freeze =
        sku.runCommand(r -> new FreezeBatch("b-1", "ops-carol", r));
    assertEquals(new BatchFrozen("b-1", "ops-carol", NOW), freeze.event());
    BatchFound frozen = assertInstanceOf(BatchFound.class, freeze.reply());
    assertTrue(frozen.batch().frozen());
    assertEquals(new StockView(5, 1, 4), frozen.skuStock());

    assertEquals(allocated("o-2", List.of(new SlotRange("b-2", 0, 2))), allocate("o-2", 2));
    assertTrue(sku.<BatchLookup>runCommand(r -> new FreezeBatch("b-1", "ops-carol", r)).hasNoEvents());

    CommandResultWithReply<Command, Event, InventoryState, BatchLookup> unfreeze =
        sku.runCommand(r -> new UnfreezeBatch("b-1", "ops-carol", r));
    assertEquals(new BatchUnfrozen("b-1", "ops-carol", NOW), unfreeze.event());
    assertEquals(new StockView(7, 3, 0), assertInstanceOf(BatchFound.class, unfreeze.reply()).skuStock());
    assertInstanceOf(NotFound.class, sku.<BatchLookup>runCommand(r -> new FreezeBatch("nope", "ops", r)).reply());
  }

  @Test
  void crossingTheLowStockThresholdIsAnEventOnce() {
    registered(5);
    addBatch("b-1", 10);
    assertTrue(sku.<Allocation>runCommand(r -> new Allocate("o-1", 5, r)).events().stream()
        .noneMatch(LowStockReached.class::isInstance));
    CommandResultWithReply<Command, Event, InventoryState, Allocation> crossing =
        sku.runCommand(r -> new Allocate("o-2", 1, r));
    assertEquals(new LowStockReached(4, 5, NOW), crossing.events().get(1));
    assertEquals(1, sku.<Allocation>runCommand(r -> new Allocate("o-3", 1, r)).events().size());
  }

  /**
   * Confirmations are written in groups and survive a restart (journal and snapshot), so that after
   * a node dies only the holds of orders that were in flight are reconciled.
   */
  @Test
  void confirmationsAreWrittenOncePerGroupAndSurviveARestart() {
    registered(0);
    addBatch("b-1", 10);
    allocate("o-1", 1);
    allocate("o-2", 1);
    assertTrue(sku.runCommand(new ConfirmAllocation("o-1")).hasNoEvents(), "confirmations wait for the next write");
    sku.runCommand(new ConfirmAllocation("o-1"));
    sku.runCommand(new ConfirmAllocation("no-such-order"));
    assertEquals(new AllocationsConfirmed(List.of("o-1"), NOW), sku.runCommand(new WriteConfirmations()).event());
    assertTrue(sku.runCommand(new WriteConfirmations()).hasNoEvents());

    sku.restart();

    StockLedger ledger = sku.getState().ledger();
    assertTrue(ledger.isConfirmed("o-1"));
    assertEquals(List.of("o-2"), ledger.unconfirmedSince(NOW.plusSeconds(1), 10));
    StockLedger fromSnapshot = InventorySnapshot.of(sku.getState()).toState(Duration.ofMinutes(15)).ledger();
    assertEquals(List.of("o-2"), fromSnapshot.unconfirmedSince(NOW.plusSeconds(1), 10));

    // As stored (Jackson CBOR): the numbers that held units are known after the holds are forgotten.
    var serialization = org.apache.pekko.serialization.SerializationExtension.get(testKit.system());
    InventorySnapshot snapshot = InventorySnapshot.of(sku.getState());
    var serializer = serialization.findSerializerFor(snapshot);
    InventorySnapshot read = (InventorySnapshot) serialization.deserialize(serializer.toBinary(snapshot),
        serializer.identifier(), org.apache.pekko.serialization.Serializers.manifestFor(serializer, snapshot)).get();
    assertEquals(snapshot.orderNumbers(), read.orderNumbers());
    StockLedger stored = read.toState(Duration.ofMinutes(15)).ledger();
    assertTrue(stored.numberUsed("o-1") && stored.numberUsed("o-2") && !stored.numberUsed("o-3"));
  }

  @Test
  void everyEventIsRecovered() {
    registered(3);
    addBatch("b-1", 5);
    addBatch("b-2", 5);
    allocate("o-1", 6);
    sku.<Releasing>runCommand(r -> new Release("o-1", r));
    allocate("o-2", 2);
    sku.<BatchLookup>runCommand(r -> new FreezeBatch("b-2", "ops", r));
    sku.<BatchLookup>runCommand(r -> new UnfreezeBatch("b-2", "ops", r));
    sku.<BatchLookup>runCommand(r -> new FreezeBatch("b-2", "ops", r));
    sku.<Lookup>runCommand(r -> new UpdateSku(new SkuPatch("Steam 100 (CN)", null, null, null, null, null), "ops", r));
    StockView before = stock();

    sku.restart();

    assertEquals(before, stock());
    assertEquals(new StockView(3, 2, 5), before);
    assertEquals("Steam 100 (CN)", assertInstanceOf(Found.class, sku.<Lookup>runCommand(GetSku::new).reply())
        .sku().definition().name());
    assertEquals(repeated("o-2", List.of(new SlotRange("b-1", 0, 1), new SlotRange("b-1", 1, 1))),
        allocate("o-2", 2), "holds survive recovery, so retries stay idempotent");
  }

  private Allocation allocate(String orderId, int units, String buyer) {
    return sku.<Allocation>runCommand(r -> new Allocate(orderId, units, buyer, r)).reply();
  }

  @Test
  void aBuyerHoldsAtMostMaxPerBuyerAcrossOrdersAndWithinAGroup() {
    registered(0);
    addBatch("b-1", 20);
    assertInstanceOf(Allocated.class, allocate("o-1", 1, "ch/alice"));
    TestProbe<Allocation> second = testKit.createTestProbe();
    TestProbe<Allocation> third = testKit.createTestProbe();
    TestProbe<Allocation> bob = testKit.createTestProbe();
    var group = sku.runCommand(new AllocateGroup(List.of(new Allocate("o-2", 1, "ch/alice", second.getRef()),
        new Allocate("o-3", 1, "ch/alice", third.getRef()), new Allocate("o-4", 2, "ch/bob", bob.getRef()))));
    assertEquals(1, group.events().size());
    assertInstanceOf(Allocated.class, second.receiveMessage());
    assertEquals(new BuyerLimitReached(2, 2), third.receiveMessage(), "alice's second unit in the group was planned");
    assertInstanceOf(Allocated.class, bob.receiveMessage());
    var refused = sku.<Allocation>runCommand(r -> new Allocate("o-5", 1, "ch/alice", r));
    assertEquals(new BuyerLimitReached(2, 2), refused.reply());
    assertTrue(refused.hasNoEvents(), "a refusal for the limit writes nothing");
    assertInstanceOf(Allocated.class, allocate("o-6", 1, "other-ch/alice"), "a user id counts within its channel");

    sku.<Releasing>runCommand(r -> new Release("o-1", r));
    assertInstanceOf(Allocated.class, allocate("o-7", 1, "ch/alice"), "a released order gives its units back to the buyer");
    sku.restart();
    assertEquals(new BuyerLimitReached(2, 2), allocate("o-8", 1, "ch/alice"), "the counts are recovered");
  }

  @Test
  void switchingTheLimitOffForgetsTheCountsAndOnStartsAfresh() {
    registered(0);
    addBatch("b-1", 20);
    allocate("o-1", 2, "ch/alice");
    sku.<Lookup>runCommand(r -> new UpdateSku(new SkuPatch(null, null, null, SkuDefinition.UNLIMITED, null, null), "ops", r));
    assertInstanceOf(Allocated.class, allocate("o-2", 5, "ch/alice"));
    sku.<Lookup>runCommand(r -> new UpdateSku(new SkuPatch(null, null, null, 3, null, null), "ops", r));
    assertInstanceOf(Allocated.class, allocate("o-3", 3, "ch/alice"));
    assertEquals(new BuyerLimitReached(3, 3), allocate("o-4", 1, "ch/alice"));
  }

  /** The reply an allocation of these slots gets: every batch here costs {@link #COST} a unit. */
  private static Allocated allocated(String orderId, List<SlotRange> slots) {
    return new Allocated(orderId, slots, COST.times(slots.stream().mapToInt(SlotRange::count).sum()));
  }

  /** The reply to a request whose order held these slots already: nothing allocated now. */
  private static Allocated repeated(String orderId, List<SlotRange> slots) {
    return new Allocated(orderId, slots, COST.times(slots.stream().mapToInt(SlotRange::count).sum()), true);
  }
}
