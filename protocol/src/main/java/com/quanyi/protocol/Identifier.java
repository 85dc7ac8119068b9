package com.quanyi.protocol;

import java.util.regex.Pattern;

/** The one rule every public identifier follows (API.md): 1–64 chars of {@code [A-Za-z0-9_-]}. */
public final class Identifier {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Identifier() {}

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  /** Returns the value if valid, else throws with a message that names the field, not the value. */
  public static String require(String field, String value) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(field + " must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
    }
    return value;
  }
}
