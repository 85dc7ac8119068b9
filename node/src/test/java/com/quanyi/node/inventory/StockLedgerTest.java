package com.quanyi.node.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.Money;
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
    ledger.addBatch("a", 300, "s", Money.of(1, "CNY"), T0);
    ledger.addBatch("b", 200, "s", Money.of(1, "CNY"), T0);
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
    ledger.addBatch("a", 4, "s", Money.of(1, "CNY"), T0);
    StockLedger.Planner planner = ledger.planner();
    assertEquals(List.of(new SlotRange("a", 0, 3)), planner.plan(3).orElseThrow());
    assertTrue(planner.plan(2).isEmpty());
    assertEquals(List.of(new SlotRange("a", 3, 1)), planner.plan(1).orElseThrow());
    assertEquals(4, ledger.available());
  }

  @Test
  void holdsAreForgottenAfterTheWindowAndStayAllocated() {
    StockLedger ledger = new StockLedger(Duration.ofMinutes(15));
    ledger.addBatch("a", 10, "s", Money.of(1, "CNY"), T0);
    ledger.allocate("old", ledger.planner().plan(2).orElseThrow(), null, T0);
    ledger.allocate("new", ledger.planner().plan(1).orElseThrow(), null, T0.plus(Duration.ofMinutes(16)));
    assertTrue(ledger.heldBy("old").isEmpty());
    assertTrue(ledger.heldBy("new").isPresent());
    assertEquals(3, ledger.view().allocated());
  }

  @Test
  void applyingAnImpossibleFactFailsLoudly() {
    StockLedger ledger = new StockLedger(Duration.ofMinutes(15));
    ledger.addBatch("a", 10, "s", Money.of(1, "CNY"), T0);
    assertThrows(IllegalStateException.class, () -> ledger.allocate("x", List.of(new SlotRange("a", 5, 1)), null, T0));
  }

  @Test
  void aSnapshotRestoresTheSameLedger() {
    InventoryState state = new InventoryState(Duration.ofMinutes(15));
    state.register(new SkuDefinition("s", "n", SkuKind.CARD_CODE, Money.of(1, "CNY"), Money.of(1, "CNY"),
        RiskLevel.LOW, 5, SkuStatus.LISTED, 0), T0);
    state.ledger().addBatch("a", 10, "sup", Money.of(5, "CNY"), T0);
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
}
