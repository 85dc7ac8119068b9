package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;

/**
 * How many codes not found a redemption subject (a verifier, a client address) may miss within the
 * guard's window: past {@code slowAfter} every answer to it is held back a little longer; at
 * {@code blockAfter} it is refused for a while.
 */
public record GuessLimits(int slowAfter, int blockAfter) implements CborSerializable {

  public static final int MAX = 1_000_000;

  public GuessLimits {
    if (slowAfter < 0 || slowAfter > MAX || blockAfter < 1 || blockAfter > MAX) {
      throw new IllegalArgumentException("slowAfter is 0-" + MAX + " and blockAfter 1-" + MAX);
    }
  }
}
