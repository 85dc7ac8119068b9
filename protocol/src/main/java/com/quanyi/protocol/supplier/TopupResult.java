package com.quanyi.protocol.supplier;

import com.quanyi.protocol.CborSerializable;

/**
 * What a supplier's answer means for the money and the account, whatever its protocol. Only
 * {@link Failed} and {@link NotReceived} prove that nothing was topped up; {@link Unknown} (a
 * timeout, a broken connection, a server error) must be resolved by a query before anyone else is
 * asked to top up the same order.
 */
public sealed interface TopupResult extends CborSerializable {

  record Succeeded(String supplierReference) implements TopupResult {}

  /** Accepted; the outcome comes later. */
  record Processing() implements TopupResult {}

  /** Final, nothing topped up. {@code reason}: OUT_OF_STOCK, INVALID_ACCOUNT, REJECTED, or a protocol fault. */
  record Failed(String reason) implements TopupResult {}

  /** Query only: the supplier never received this attempt. */
  record NotReceived() implements TopupResult {}

  /** The supplier may or may not have topped up. {@code why} is for operators (never secrets). */
  record Unknown(String why) implements TopupResult {}

  /** Whether the result proves the account was not topped up by this attempt. */
  default boolean definitelyNotToppedUp() {
    return this instanceof Failed || this instanceof NotReceived;
  }
}
