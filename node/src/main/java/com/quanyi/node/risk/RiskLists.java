package com.quanyi.node.risk;

import com.quanyi.protocol.risk.IpRange;
import com.quanyi.protocol.risk.ListEntry;
import com.quanyi.protocol.risk.ListEntry.Kind;
import com.quanyi.protocol.risk.ListEntry.ListSubject;
import com.quanyi.protocol.risk.RiskRule.Action;
import com.quanyi.protocol.risk.RuleHit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The block and allow lists of one rule set version, indexed for the order path: exact values in
 * hash maps, IP ranges in a list scanned only when some range exists. Expired entries are skipped
 * at the moment of the check, so an expiry takes effect on time without a rule change. Plain Java.
 */
final class RiskLists {

  private final Map<String, List<ListEntry>> exact = new HashMap<>();
  private final List<Ranged> ranges = new ArrayList<>();
  /** When the last entry expires; null while some entry never does (or there is none). */
  private final Instant lastExpiry;
  private final boolean none;

  private record Ranged(IpRange range, ListEntry entry) {}

  /** What the lists say of one order: hits for blocked subjects, and which subjects are allowed. */
  record Verdict(List<RuleHit> blocks, boolean buyerAllowed, boolean ipAllowed, boolean deviceAllowed) {}

  RiskLists(List<ListEntry> entries) {
    none = entries.isEmpty();
    lastExpiry = entries.stream().anyMatch(e -> e.expiresAt() == null) ? null
        : entries.stream().map(ListEntry::expiresAt).max(Instant::compareTo).orElse(null);
    for (ListEntry entry : entries) {
      if (entry.subject() == ListSubject.IP && !IpRange.parse(entry.value()).isSingleAddress()) {
        ranges.add(new Ranged(IpRange.parse(entry.value()), entry));
      } else {
        exact.computeIfAbsent(key(entry.subject(), entry.value()), k -> new ArrayList<>()).add(entry);
      }
    }
  }

  /** No entry acts at {@code now}: none at all, or all expired. */
  boolean isEmptyAt(Instant now) {
    return none || lastExpiry != null && !lastExpiry.isAfter(now);
  }

  Verdict check(String buyer, String ip, String deviceId, String rechargeAccount, Instant now) {
    List<RuleHit> blocks = new ArrayList<>();
    boolean buyerAllowed = check(ListSubject.BUYER, buyer, "buyer:" + buyer, now, blocks);
    boolean ipAllowed = checkIp(ip, now, blocks);
    boolean deviceAllowed = deviceId != null && check(ListSubject.DEVICE, deviceId, "device:" + deviceId, now, blocks);
    if (rechargeAccount != null) {
      check(ListSubject.RECHARGE_ACCOUNT, rechargeAccount, "account:" + rechargeAccount, now, blocks);
    }
    return new Verdict(blocks, buyerAllowed, ipAllowed, deviceAllowed);
  }

  /** Adds block hits for this value; answers whether an allow entry covers it. */
  private boolean check(ListSubject subject, String value, String label, Instant now, List<RuleHit> blocks) {
    boolean allowed = false;
    for (ListEntry entry : exact.getOrDefault(key(subject, value), List.of())) {
      allowed |= apply(entry, label, now, blocks);
    }
    return allowed;
  }

  private boolean checkIp(String ip, Instant now, List<RuleHit> blocks) {
    Optional<byte[]> address = IpRange.address(ip);
    String normalized = address.map(a -> IpRange.parse(ip).toString()).orElse(ip);
    boolean allowed = check(ListSubject.IP, normalized, "ip:" + ip, now, blocks);
    if (address.isPresent()) {
      for (Ranged ranged : ranges) {
        if (ranged.range().contains(address.get())) {
          allowed |= apply(ranged.entry(), "ip:" + ip, now, blocks);
        }
      }
    }
    return allowed;
  }

  private static boolean apply(ListEntry entry, String label, Instant now, List<RuleHit> blocks) {
    if (!entry.liveAt(now)) {
      return false;
    }
    if (entry.list() == Kind.BLOCK) {
      blocks.add(new RuleHit("list:" + entry.entryId(), label, "BLOCKLISTED_" + entry.subject().name(), Action.REJECT,
          false, 0, 0));
      return false;
    }
    return true;
  }

  private static String key(ListSubject subject, String value) {
    return subject.name() + "|" + value;
  }
}
