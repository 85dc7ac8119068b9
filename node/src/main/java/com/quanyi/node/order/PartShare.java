package com.quanyi.node.order;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.BundlePart;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A bundle part's share of what its order was charged, in proportion to the face value the part
 * brings to one bundle (its SKU's face value × its quantity) among all the parts', rounded down to
 * the minor unit: what a channel gets back when only that part fails. The channel's price, not the
 * list price, is what is shared: the channel paid it.
 */
final class PartShare {

  private PartShare() {}

  /** Empty when a part's face value was not kept (a bundle registered before it was) or the parts are worth nothing. */
  static Optional<Money> of(List<BundlePart> parts, BundlePart part, Money charged) {
    if (part.value() == null || parts.stream().anyMatch(p -> p.value() == null)) {
      return Optional.empty();
    }
    BigInteger total = parts.stream().map(p -> BigInteger.valueOf(p.value().amount()))
        .reduce(BigInteger.ZERO, BigInteger::add);
    if (total.signum() == 0) {
      return Optional.empty();
    }
    long share = BigInteger.valueOf(charged.amount()).multiply(BigInteger.valueOf(part.value().amount()))
        .divide(total).longValueExact();
    return Optional.of(new Money(share, charged.currency()));
  }
}
