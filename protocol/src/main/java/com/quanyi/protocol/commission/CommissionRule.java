package com.quanyi.protocol.commission;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelDefinition;

/**
 * What an ancestor of the buying channel earns on a delivered order. {@code level}: how far up the
 * channel tree the ancestor is (1: the buying channel's parent, 2: the parent's parent).
 * {@code skuId}: the SKU this rule is for, or null for every SKU (a SKU's own rule for a level wins
 * over the general one). Exactly one of {@code percentBasisPoints} (of the order's amount, 1 bp =
 * 0.01%, rounded down to the minor unit) and {@code fixedPerUnit} (times the units ordered).
 */
public record CommissionRule(int level, String skuId, Integer percentBasisPoints, Money fixedPerUnit)
    implements CborSerializable {

  public static final int MAX_LEVEL = ChannelDefinition.MAX_DEPTH - 1;

  public CommissionRule {
    if (level < 1 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("level must be 1 (the parent) or " + MAX_LEVEL + " (the parent's parent)");
    }
    if (skuId != null) {
      Identifier.require("skuId", skuId);
    }
    if ((percentBasisPoints == null) == (fixedPerUnit == null)) {
      throw new IllegalArgumentException("a rule has exactly one of percentBasisPoints and fixedPerUnit");
    }
    if (percentBasisPoints != null && (percentBasisPoints < 0 || percentBasisPoints > 10_000)) {
      throw new IllegalArgumentException("percentBasisPoints must be 0-10000 (0-100%)");
    }
  }

  /** What this rule gives on an order of {@code amount} for {@code units} units (minor units). */
  public long commission(long amount, int units) {
    if (percentBasisPoints != null) {
      return Math.multiplyExact(amount, (long) percentBasisPoints) / 10_000;
    }
    return Math.multiplyExact(fixedPerUnit.amount(), (long) units);
  }
}
