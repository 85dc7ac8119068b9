package com.quanyi.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdentifierTest {

  @Test
  void acceptsOneToSixtyFourSafeCharacters() {
    assertTrue(Identifier.isValid("a"));
    assertTrue(Identifier.isValid("ORDER_2026-11-21_0001"));
    assertTrue(Identifier.isValid("x".repeat(64)));
  }

  @Test
  void refusesEverythingElse() {
    assertFalse(Identifier.isValid(null));
    assertFalse(Identifier.isValid(""));
    assertFalse(Identifier.isValid("x".repeat(65)));
    assertFalse(Identifier.isValid("a b"));
    assertFalse(Identifier.isValid("a/../b"));
    assertFalse(Identifier.isValid("订单"));
    assertFalse(Identifier.isValid("a\n"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Identifier.require("skuId", "bad id"));
    assertFalse(e.getMessage().contains("bad id"), "the message names the field, not the value");
  }
}
