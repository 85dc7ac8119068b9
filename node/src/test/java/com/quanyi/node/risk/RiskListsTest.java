package com.quanyi.node.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.risk.IpRange;
import com.quanyi.protocol.risk.ListEntry.Kind;
import com.quanyi.protocol.risk.ListEntry.ListSubject;
import com.quanyi.protocol.risk.ListEntry;
import com.quanyi.protocol.risk.RiskRuleSet;
import com.quanyi.protocol.risk.RiskVerdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskListsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static ListEntry entry(String id, Kind kind, ListSubject subject, String value, Instant expiresAt) {
    return new ListEntry(id, kind, subject, value, expiresAt, null, "op", NOW.minusSeconds(60));
  }

  @Test
  void cidrRangesMatchTheirAddressesOnly() {
    IpRange v4 = IpRange.parse("203.0.113.0/24");
    assertTrue(v4.contains("203.0.113.0"));
    assertTrue(v4.contains("203.0.113.255"));
    assertFalse(v4.contains("203.0.114.1"));
    assertFalse(v4.contains("2001:db8::1"));
    IpRange odd = IpRange.parse("10.1.2.3/15");
    assertEquals("10.0.0.0/15", odd.toString());
    assertTrue(odd.contains("10.1.255.255"));
    assertFalse(odd.contains("10.2.0.0"));
    IpRange v6 = IpRange.parse("2001:db8::/32");
    assertTrue(v6.contains("2001:db8:ffff::1"));
    assertFalse(v6.contains("2001:db9::1"));
    assertTrue(IpRange.parse("0.0.0.0/0").contains("8.8.8.8"));
  }

  @Test
  void notAddressesAreRefusedWithoutANameLookup() {
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("example.com"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("face"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("256.1.1.1"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("2001:db8::/129"));
    assertThrows(IllegalArgumentException.class, () -> IpRange.parse("10.0.0.0/-1"));
  }

  @Test
  void aBlockedRangeRejectsEveryAddressInItAndAnAllowedOneExemptsIt() {
    RiskLists lists = new RiskLists(List.of(
        entry("r1", Kind.BLOCK, ListSubject.IP, "198.51.100.0/24", null),
        entry("r2", Kind.ALLOW, ListSubject.IP, "192.0.2.0/28", null)));
    RiskLists.Verdict blocked = lists.check("ch/u", "198.51.100.77", null, null, NOW);
    assertEquals(1, blocked.blocks().size());
    assertEquals("BLOCKLISTED_IP", blocked.blocks().get(0).reason());
    assertEquals("list:r1", blocked.blocks().get(0).ruleId());
    RiskLists.Verdict allowed = lists.check("ch/u", "192.0.2.15", null, null, NOW);
    assertTrue(allowed.blocks().isEmpty());
    assertTrue(allowed.ipAllowed());
    assertFalse(lists.check("ch/u", "192.0.2.16", null, null, NOW).ipAllowed());
  }

  @Test
  void expiredEntriesStopActingAtTheirExpiry() {
    Instant expires = NOW.plusSeconds(30);
    RiskLists lists = new RiskLists(List.of(
        entry("b", Kind.BLOCK, ListSubject.BUYER, "ch/cheat", expires),
        entry("d", Kind.BLOCK, ListSubject.DEVICE, "dev-1", expires),
        entry("a", Kind.BLOCK, ListSubject.RECHARGE_ACCOUNT, "13800000000", expires)));
    assertEquals(3, lists.check("ch/cheat", "10.0.0.1", "dev-1", "13800000000", NOW).blocks().size());
    assertEquals(3, lists.check("ch/cheat", "10.0.0.1", "dev-1", "13800000000", expires.minusMillis(1)).blocks().size());
    assertTrue(lists.check("ch/cheat", "10.0.0.1", "dev-1", "13800000000", expires).blocks().isEmpty());
    assertFalse(lists.isEmptyAt(expires.minusMillis(1)));
    assertTrue(lists.isEmptyAt(expires), "nothing left to check once every entry expired");
    assertFalse(new RiskLists(List.of(entry("p", Kind.BLOCK, ListSubject.DEVICE, "x", null))).isEmptyAt(expires));
  }

  @Test
  void aBlockWinsOverAnAllowOfTheSameSubject() {
    RiskLists lists = new RiskLists(List.of(
        entry("a", Kind.ALLOW, ListSubject.BUYER, "ch/u", null),
        entry("b", Kind.BLOCK, ListSubject.IP, "10.0.0.1", null)));
    RiskLists.Verdict verdict = lists.check("ch/u", "10.0.0.1", null, null, NOW);
    assertTrue(verdict.buyerAllowed());
    assertEquals(1, verdict.blocks().size());
    assertEquals(RiskCheck.combine(verdict.blocks(), RiskRuleSet.initial()).decision(),
        RiskVerdict.Decision.REJECT);
  }

  @Test
  void ipv6AddressesAreMatchedInTheirCanonicalForm() {
    RiskLists lists = new RiskLists(List.of(entry("v6", Kind.BLOCK, ListSubject.IP, "2001:0db8:0000::0001", null)));
    assertEquals(1, lists.check("ch/u", "2001:db8::1", null, null, NOW).blocks().size());
  }
}
