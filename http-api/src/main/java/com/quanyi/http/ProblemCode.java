package com.quanyi.http;

import com.quanyi.protocol.order.RefusalReason;
import java.util.Locale;

/** Stable machine codes of every error the API returns, with their HTTP status (API.md). */
public enum ProblemCode {
  INVALID_REQUEST(400, "Invalid request"),
  UNAUTHENTICATED(401, "Authentication failed"),
  FORBIDDEN(403, "Role not allowed"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  ALREADY_EXISTS(409, "Already exists"),
  IDEMPOTENCY_MISMATCH(409, "Idempotency mismatch"),
  VERSION_CONFLICT(409, "Version conflict"),
  /** A code (or an order's code) was redeemed already: nothing more of it can be used or refunded. */
  ALREADY_REDEEMED(409, "Already redeemed"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  OUT_OF_STOCK(422, "Out of stock"),
  INSUFFICIENT_BALANCE(422, "Insufficient balance"),
  RISK_REJECTED(422, "Rejected by risk control"),
  LIMIT_EXCEEDED(422, "Limit exceeded"),
  SKU_UNAVAILABLE(422, "SKU unavailable"),
  /** The code exists but cannot be redeemed: never delivered, void, frozen, expired, or not that much left. */
  NOT_REDEEMABLE(422, "Not redeemable"),
  OVERLOADED(429, "Overloaded"),
  INTERNAL(500, "Internal error"),
  UNAVAILABLE(503, "Unavailable");

  private final int status;
  private final String title;

  ProblemCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The one place an order's refusal becomes an HTTP problem. */
  public static ProblemCode forRefusal(RefusalReason reason) {
    return switch (reason) {
      case SKU_UNAVAILABLE -> SKU_UNAVAILABLE;
      case LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
      case INSUFFICIENT_BALANCE -> INSUFFICIENT_BALANCE;
      case OUT_OF_STOCK -> OUT_OF_STOCK;
      case RISK_REJECTED -> RISK_REJECTED;
      case IDEMPOTENCY_MISMATCH -> IDEMPOTENCY_MISMATCH;
      case INVALID_REQUEST -> INVALID_REQUEST;
      case OVERLOADED -> OVERLOADED;
      case UNAVAILABLE -> UNAVAILABLE;
    };
  }

  public String type() {
    return "urn:quanyi:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
