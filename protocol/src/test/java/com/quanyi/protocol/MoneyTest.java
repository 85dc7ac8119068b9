package com.quanyi.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void arithmeticStaysInMinorUnitsAndOneCurrency() {
    assertEquals(Money.of(3980, "CNY"), Money.of(1990, "CNY").times(2));
    assertEquals(Money.of(10, "CNY"), Money.of(1990, "CNY").minus(Money.of(1980, "CNY")));
    assertEquals(Money.of(3000, "CNY"), Money.of(1000, "CNY").plus(Money.of(2000, "CNY")));
    assertThrows(IllegalArgumentException.class, () -> Money.of(1, "CNY").plus(Money.of(1, "USD")));
  }

  @Test
  void refusesNegativeAmountsUnknownCurrenciesAndOverflow() {
    assertThrows(IllegalArgumentException.class, () -> Money.of(-1, "CNY"));
    assertThrows(IllegalArgumentException.class, () -> Money.of(1, "cny"));
    assertThrows(IllegalArgumentException.class, () -> Money.of(1, "XYZ"));
    assertThrows(IllegalArgumentException.class, () -> Money.of(1, null));
    assertThrows(IllegalArgumentException.class, () -> Money.of(1, "CNY").minus(Money.of(2, "CNY")));
    assertThrows(ArithmeticException.class, () -> Money.of(Long.MAX_VALUE, "CNY").times(2));
  }
}
