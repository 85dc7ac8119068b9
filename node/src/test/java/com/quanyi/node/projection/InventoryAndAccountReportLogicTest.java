package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.quanyi.persistence.reporting.ChannelReport;
import com.quanyi.persistence.reporting.SkuReport;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DepositReceived;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderRefunded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrdersDebited;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchAdded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFrozen;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OrderSlots;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.SkuRegistered;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsAllocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.UnitsReleased;
import com.quanyi.protocol.inventory.RiskLevel;
import com.quanyi.protocol.inventory.ExpiryRun;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.CodesExpired;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.SkuStatus;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.reporting.AccountEntry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryAndAccountReportLogicTest {

  private static final Instant T = Instant.parse("2026-11-22T02:00:00Z");

  @Test
  void batchesCountAllocationsAndReleasesAndTheSkuIsLowBelowItsThreshold() {
    SkuDefinition definition = new SkuDefinition("sku-1", "Card", SkuKind.CARD_CODE, Money.of(100, "CNY"),
        Money.of(90, "CNY"), RiskLevel.LOW, SkuDefinition.UNLIMITED, SkuStatus.LISTED, 5);
    SkuReport sku = InventoryReportLogic.apply("sku-1", null, new SkuRegistered(definition, "ops", T), 1, T).after();
    var added = InventoryReportLogic.apply("sku-1", sku, new BatchAdded("b-1", 10, "sup", Money.of(7, "CNY"), "ops", T),
        2, T);
    assertEquals(1, added.added().size());
    sku = added.after();
    assertNull(sku.lowSince());
    sku = InventoryReportLogic.apply("sku-1", sku, new UnitsAllocated(List.of(
        new OrderSlots("o-1", List.of(new SlotRange("b-1", 0, 4)), "u"),
        new OrderSlots("o-2", List.of(new SlotRange("b-1", 4, 3)), "u")), T), 3, T.plusSeconds(1)).after();
    assertEquals(3, sku.available());
    assertEquals(7, sku.allocated());
    assertEquals(T.plusSeconds(1), sku.lowSince());
    sku = InventoryReportLogic.apply("sku-1", sku, new UnitsReleased("o-2", List.of(new SlotRange("b-1", 4, 3)), T), 4,
        T.plusSeconds(2)).after();
    assertEquals(6, sku.available());
    assertNull(sku.lowSince(), "back above the threshold");
    sku = InventoryReportLogic.apply("sku-1", sku, new BatchFrozen("b-1", "ops", T), 5, T).after();
    assertEquals(0, sku.available());
    assertEquals(6, sku.frozen());
    assertNotNull(sku.lowSince());
  }

  @Test
  void codesThatExpiredUnsoldOrWereGivenBackExpiredLeaveTheBatchsStock() {
    SkuDefinition definition = new SkuDefinition("sku-1", "Card", SkuKind.CARD_CODE, Money.of(100, "CNY"),
        Money.of(90, "CNY"), RiskLevel.LOW, SkuDefinition.UNLIMITED, SkuStatus.LISTED, 0);
    SkuReport sku = InventoryReportLogic.apply("sku-1", null, new SkuRegistered(definition, "ops", T), 1, T).after();
    sku = InventoryReportLogic.apply("sku-1", sku, new BatchAdded("b-1", 10, "sup", Money.of(7, "CNY"), "ops", T), 2, T)
        .after();
    sku = InventoryReportLogic.apply("sku-1", sku, new UnitsAllocated(List.of(
        new OrderSlots("o-1", List.of(new SlotRange("b-1", 0, 3)), "u")), T), 3, T).after();
    ExpiryRun run = new ExpiryRun(2, 4, T);
    sku = InventoryReportLogic.apply("sku-1", sku, new CodesExpired("b-1", run, 3, T), 4, T).after();
    assertEquals(4, sku.available(), "10 - 3 allocated - 3 expired unsold");
    assertEquals(3, sku.batches().get(0).expired());
    sku = InventoryReportLogic.apply("sku-1", sku, new UnitsReleased("o-1", List.of(new SlotRange("b-1", 0, 3)), T,
        List.of(new SlotRange("b-1", 2, 1))), 5, T).after();
    assertEquals(6, sku.available(), "two came back; the third had expired while held");
    assertEquals(4, sku.batches().get(0).expired());
    assertEquals(0, sku.allocated());
  }

  @Test
  void theStatementCarriesTheBalanceAfterEachLine() {
    ChannelReport c = ChannelReport.unknown("ch-1");
    var deposit = AccountReportLogic.apply(c, new DepositReceived("d-1", Money.of(1000, "CNY"), "ops", T), 1);
    var debits = AccountReportLogic.apply(deposit.after(), new OrdersDebited(List.of(
        new OrderCharge("ch-1~a", Money.of(300, "CNY"), "sku-1", 1),
        new OrderCharge("ch-1~b", Money.of(200, "CNY"), "sku-1", 1)), T), 2);
    var refund = AccountReportLogic.apply(debits.after(), new OrderRefunded("ch-1~a", Money.of(300, "CNY"), T, true), 3);
    assertEquals(List.of(700L, 500L), debits.entries().stream().map(AccountEntry::balance).toList());
    assertEquals(800, refund.entries().get(0).balance());
    ChannelReport after = refund.after();
    assertEquals(after.deposited() - after.debited() + after.refunded(), after.balance());
    assertEquals(4, after.entries());
    assertEquals(3, after.seq());
  }
}
