package com.quanyi.protocol.reporting;

/**
 * A page cursor this API did not hand out (mistyped, cut, or from another listing): what the
 * client sent is wrong, so it is a 400, never an error of the platform.
 */
public final class InvalidCursor extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidCursor() {
    super("after is not a cursor this API returned");
  }
}
