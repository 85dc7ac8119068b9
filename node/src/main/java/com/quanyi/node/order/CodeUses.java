package com.quanyi.node.order;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderProcessProtocol.CodeRedeemed;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What was redeemed of each of a delivered order's codes, by the code's place in stock. */
public record CodeUses(Map<String, CodeUse> byCode) implements CborSerializable {

  public static final CodeUses NONE = new CodeUses(Map.of());

  /** A code's value left, its first and last redemption (where and by whom), and how many it had. */
  public record CodeUse(Money remaining, Instant firstAt, Instant lastAt, String lastPlace, String lastVerifierId,
      int redemptions) implements CborSerializable {}

  public Optional<CodeUse> of(String batchId, long position) {
    return Optional.ofNullable(byCode.get(key(batchId, position)));
  }

  public CodeUses with(CodeRedeemed e) {
    Map<String, CodeUse> next = new HashMap<>(byCode);
    next.merge(key(e.batchId(), e.position()),
        new CodeUse(e.remaining(), e.at(), e.at(), e.place(), e.verifierId(), 1),
        (before, now) -> new CodeUse(now.remaining(), before.firstAt(), now.lastAt(), now.lastPlace(),
            now.lastVerifierId(), before.redemptions() + 1));
    return new CodeUses(Map.copyOf(next));
  }

  public boolean any() {
    return !byCode.isEmpty();
  }

  public int codes() {
    return byCode.size();
  }

  public Optional<Instant> firstAt() {
    return byCode.values().stream().map(CodeUse::firstAt).min(Instant::compareTo);
  }

  private static String key(String batchId, long position) {
    return batchId + '#' + position;
  }
}
