package com.quanyi.protocol.inventory;

/**
 * What a bundle gives back when its top-up part fails (every supplier definitely did not top up).
 * Chosen per bundle on its top-up part ({@code parts[].onFailure}); fixed into each order when it
 * is accepted, so changing it never changes an order already placed.
 */
public enum TopupFailure {
  /**
   * The top-up part's share of the bundle's charge is refunded; the card parts stay delivered and
   * redeemable (the order ends PARTLY_DELIVERED).
   */
  REFUND_PART,
  /** The whole charge is refunded and the card parts' codes are void (the order ends FAILED). */
  REFUND_BUNDLE
}
