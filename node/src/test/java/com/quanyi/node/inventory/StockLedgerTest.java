package com.quanyi.node.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.ExpiryRun;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.inventory.SkuStatus;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.inventory.StockView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StockLedgerTest {

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void randomAllocationsAndReleasesNeverHandOutAPositionTwice() {
    StockLedger ledger = new StockLedger(Duration.ofHours(1));
    ledger.addBatch("a", 300, "s", Money.of(1, "CNY"), T0, null);
    ledger.addBatch("b", 200, "s", Money.of(1, "CNY"), T0, null);
    Random random = new Random(42);
    Set<String> held = new HashSet<>();
    for (int step = 0; step < 5000; step++) {
      if (random.nextInt(3) == 0 && !held.isEmpty()) {
        String order = held.iterator().next();
        ledger.release(order);
        held.remove(order);
        continue;
      }
      StockLedger.Planner planner = ledger.planner();
      int units = 1 + random.nextInt(5);
      var plan = planner.plan(units);
      if (plan.isPresent()) {
        ledger.allocate("o-" + step, plan.get(), null, T0);
        held.add("o-" + step);
      }
      Set<String> positions = new HashSet<>();
      long allocated = 0;
      for (String order : held) {
        for (SlotRange range : ledger.heldBy(order).orElseThrow()) {
          for (long p = range.from(); p < range.to(); p++) {
            assertTrue(positions.add(range.batchId() + ":" + p), "position handed out twice");
            allocated++;
          }
        }
      }
      StockView view = ledger.view();
      assertEquals(allocated, view.allocated());
      assertEquals(500, view.available() + view.allocated());
    }
  }

  @Test
  void aPlannerPlansWithoutChangingTheLedger() {
    StockLedger ledger = new StockLedger(Duration.ofHours(1));
    ledger.addBatch("a", 4, "s", Money.of(1, "CNY"), T0, null);
    StockLedger.Planner planner = ledger.planner();
    assertEquals(List.of(new SlotRange("a", 0, 3)), planner.plan(3).orElseThrow());
    assertTrue(planner.plan(2).isEmpty());
    assertEquals(List.of(new SlotRange("a", 3, 1)), planner.plan(1).orElseThrow());
    assertEquals(4, ledger.available());
  }

  @Test
  void holdsAreForgottenAfterTheWindowAndStayAllocated() {
    StockLedger ledger = new StockLedger(Duration.ofMinutes(15));
    ledger.addBatch("a", 10, "s", Money.of(1, "CNY"), T0, null);
    ledger.allocate("old", ledger.planner().plan(2).orElseThrow(), null, T0);
    ledger.allocate("new", ledger.planner().plan(1).orElseThrow(), null, T0.plus(Duration.ofMinutes(16)));
    assertTrue(ledger.heldBy("old").isEmpty());
    assertTrue(ledger.heldBy("new").isPresent());
    assertEquals(3, ledger.view().allocated());
  }

  @Test
  void applyingAnImpossibleFactFailsLoudly() {
    StockLedger ledger = new StockLedger(Duration.ofMinutes(15));
    ledger.addBatch("a", 10, "s", Money.of(1, "CNY"), T0, null);
    assertThrows(IllegalStateException.class, () -> ledger.allocate("x", List.of(new SlotRange("a", 5, 1)), null, T0));
  }

  @Test
  void aSnapshotRestoresTheSameLedger() {
    InventoryState state = new InventoryState(Duration.ofMinutes(15));
    state.register(new SkuDefinition("s", "n", SkuKind.CARD_CODE, Money.of(1, "CNY"), Money.of(1, "CNY"),
        RiskLevel.LOW, 5, SkuStatus.LISTED, 0), T0);
    state.ledger().addBatch("a", 10, "sup", Money.of(5, "CNY"), T0, null);
    state.ledger().allocate("o1", state.ledger().planner().plan(4).orElseThrow(), "ch/ann", T0);
    state.ledger().release("o1");
    state.ledger().allocate("o2", state.ledger().planner().plan(2).orElseThrow(), "ch/bob", T0);
    state.ledger().setFrozen("a", true);

    InventoryState restored = InventorySnapshot.of(state).toState(Duration.ofMinutes(15));
    assertEquals(state.view(), restored.view());
    assertEquals(state.ledger().heldBy("o2"), restored.ledger().heldBy("o2"));
    assertEquals(2, restored.ledger().heldByBuyer("ch/bob"));
    assertEquals(0, restored.ledger().heldByBuyer("ch/ann"));
    assertEquals(InventorySnapshot.of(state), InventorySnapshot.of(restored));
  }

  private static final Instant T1 = T0.plus(Duration.ofDays(1));
  private static final Instant T2 = T0.plus(Duration.ofDays(2));

  private static void expireBy(StockLedger ledger, Instant cutoff) {
    ledger.expiringBy(cutoff).forEach(e -> ledger.expire(e.batchId(), e.run()));
  }

  @Test
  void expiredCodesAreNeverHandedOutAndNeverComeBack() {
    StockLedger ledger = new StockLedger(Duration.ofHours(1));
    ledger.addBatch("a", 20, "s", Money.of(1, "CNY"), T0, List.of(new ExpiryRun(5, 5, T1), new ExpiryRun(15, 5, T2)));
    ledger.allocate("o1", ledger.planner().plan(3).orElseThrow(), null, T0);
    assertEquals(List.of(), ledger.expiringBy(T0));
    assertEquals(List.of(new StockLedger.Expiring("a", new ExpiryRun(5, 5, T1), 5)), ledger.expiringBy(T1));
    expireBy(ledger, T1);
    assertEquals(new StockView(12, 3, 0), ledger.view());

    StockLedger.Planner planner = ledger.planner();
    List<SlotRange> around = planner.plan(5).orElseThrow();
    assertEquals(List.of(new SlotRange("a", 3, 2), new SlotRange("a", 10, 3)), around, "the dead run is jumped");
    ledger.allocate("o2", around, null, T0);
    ledger.allocate("o3", ledger.planner().plan(3).orElseThrow(), null, T0);
    assertEquals(List.of(new SlotRange("a", 13, 3)), ledger.heldBy("o3").orElseThrow());

    ledger.release("o1");
    assertEquals(List.of(new StockLedger.Expiring("a", new ExpiryRun(15, 5, T2), 4)), ledger.expiringBy(T2),
        "position 15 is held, 16-19 are not");
    expireBy(ledger, T2);
    assertEquals(new StockView(3, 8, 0), ledger.view(), "o1's three came back; 16-19 are gone");
    ledger.release("o3");
    assertEquals(new StockView(5, 5, 0), ledger.view(), "13 and 14 came back; 15 expired while held and stays out");
    assertEquals(10, ledger.batch("a").orElseThrow().view().expired());
    List<SlotRange> rest = ledger.planner().plan(5).orElseThrow();
    assertEquals(List.of(new SlotRange("a", 0, 1), new SlotRange("a", 1, 1), new SlotRange("a", 2, 1),
        new SlotRange("a", 13, 1), new SlotRange("a", 14, 1)), rest);
    assertTrue(ledger.planner().plan(6).isEmpty());
  }

  @Test
  void randomAllocationsReleasesAndExpiriesNeverHandOutAnExpiredPosition() {
    StockLedger ledger = new StockLedger(Duration.ofHours(1));
    List<ExpiryRun> runs = List.of(new ExpiryRun(0, 40, T0.plusSeconds(100)), new ExpiryRun(60, 30, T0.plusSeconds(200)),
        new ExpiryRun(90, 1, T0.plusSeconds(300)), new ExpiryRun(150, 50, T0.plusSeconds(400)));
    ledger.addBatch("a", 200, "s", Money.of(1, "CNY"), T0, runs);
    Random random = new Random(7);
    Set<String> held = new HashSet<>();
    Instant now = T0;
    for (int step = 0; step < 3000; step++) {
      now = now.plusMillis(200);
      expireBy(ledger, now);
      if (random.nextInt(3) == 0 && !held.isEmpty()) {
        String order = held.iterator().next();
        ledger.release(order);
        held.remove(order);
        continue;
      }
      var plan = ledger.planner().plan(1 + random.nextInt(4));
      if (plan.isPresent()) {
        for (SlotRange range : plan.get()) {
          for (long p = range.from(); p < range.to(); p++) {
            long position = p;
            Instant at = now;
            assertTrue(runs.stream().noneMatch(r -> position >= r.from() && position < r.to()
                && !r.expiresAt().isAfter(at)), "position " + p + " handed out after its expiry");
          }
        }
        ledger.allocate("o-" + step, plan.get(), null, now);
        held.add("o-" + step);
      }
      StockView view = ledger.view();
      assertEquals(200, view.available() + view.allocated() + ledger.batch("a").orElseThrow().view().expired());
    }
    assertTrue(ledger.batch("a").orElseThrow().view().expired() >= 100, "most expiring codes expired unsold");
  }

  @Test
  void aSnapshotKeepsWhatExpired() {
    InventoryState state = new InventoryState(Duration.ofMinutes(15));
    state.register(new SkuDefinition("s", "n", SkuKind.CARD_CODE, Money.of(1, "CNY"), Money.of(1, "CNY"),
        RiskLevel.LOW, 0, SkuStatus.LISTED, 0), T0);
    state.ledger().addBatch("a", 20, "sup", Money.of(5, "CNY"), T0,
        List.of(new ExpiryRun(2, 3, T1), new ExpiryRun(10, 5, T1), new ExpiryRun(18, 2, T2)));
    state.ledger().allocate("o1", state.ledger().planner().plan(4).orElseThrow(), null, T0);
    state.ledger().release("o1");
    expireBy(state.ledger(), T1);

    InventoryState restored = InventorySnapshot.of(state).toState(Duration.ofMinutes(15));
    assertEquals(state.view(), restored.view());
    assertEquals(state.ledger().batch("a").orElseThrow().view(), restored.ledger().batch("a").orElseThrow().view());
    assertEquals(InventorySnapshot.of(state), InventorySnapshot.of(restored));
    assertEquals(state.ledger().planner().plan(10), restored.ledger().planner().plan(10));
    assertEquals(state.ledger().expiringBy(T2), restored.ledger().expiringBy(T2));
  }
}
