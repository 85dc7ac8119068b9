package com.quanyi.protocol;

import java.util.Currency;
import java.util.regex.Pattern;

/**
 * An amount in integer minor units (fen, cents) of an ISO 4217 currency. Never floating point.
 * Negative amounts are not money the platform handles; refunds and debits say their direction
 * by their name.
 */
public record Money(long amount, String currency) {

  /** Compiled once: every order builds several amounts (String.matches would compile per call). */
  private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

  public Money {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
    if (currency == null || !CODE.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as CNY");
    }
    try {
      Currency.getInstance(currency);
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("currency " + currency + " is not an ISO 4217 code");
    }
  }

  public static Money of(long amount, String currency) {
    return new Money(amount, currency);
  }

  public boolean sameCurrency(Money other) {
    return currency.equals(other.currency);
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(amount, other.amount), currency);
  }

  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.subtractExact(amount, other.amount), currency);
  }

  public Money times(long units) {
    return new Money(Math.multiplyExact(amount, units), currency);
  }

  private void requireSameCurrency(Money other) {
    if (!sameCurrency(other)) {
      throw new IllegalArgumentException("cannot combine " + currency + " with " + other.currency);
    }
  }
}
