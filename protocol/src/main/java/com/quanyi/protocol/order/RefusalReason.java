package com.quanyi.protocol.order;

/**
 * Why an order was refused: nothing was allocated, charged or stored. The HTTP API maps each to its
 * problem code in one place ({@code ProblemCode.forRefusal}).
 */
public enum RefusalReason {
  /** Not in the channel's catalog, unlisted, not the right kind, or the channel's account is not open. */
  SKU_UNAVAILABLE,
  /** The SKU's per-buyer limit, or the channel's quota for the SKU. */
  LIMIT_EXCEEDED,
  INSUFFICIENT_BALANCE,
  OUT_OF_STOCK,
  RISK_REJECTED,
  /** The same order number was charged for another order. */
  IDEMPOTENCY_MISMATCH,
  /** The request cannot be an order (e.g. a recharge account the SKU does not accept). */
  INVALID_REQUEST,
  /** Too much waiting on this SKU or account right now: retry. */
  OVERLOADED,
  /** The order could not be completed now (ran out of time, an entity did not answer): retry the same request. */
  UNAVAILABLE
}
