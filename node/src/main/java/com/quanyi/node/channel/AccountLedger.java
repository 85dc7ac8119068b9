package com.quanyi.node.channel;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelCredentials;
import com.quanyi.protocol.channel.ChannelDefinition;
import com.quanyi.protocol.channel.ChannelProtocol.ChannelPrice;
import com.quanyi.protocol.channel.ChannelProtocol.ChannelView;
import com.quanyi.protocol.channel.ChannelProtocol.AccountView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A channel as its entity knows it: definition, credentials, prices, and the prepaid balance with
 * where every cent came from and went. Plain Java: the entity decides with {@link #planner()} and
 * changes the ledger only by applying persisted facts.
 */
final class AccountLedger {

  private ChannelDefinition definition;
  private ChannelCredentials credentials;
  private Instant registeredAt;
  private final Map<String, ChannelPrice> prices = new TreeMap<>();
  private String currency;
  private long balance;
  private long deposited;
  private long debited;
  private long refunded;
  private final Map<String, Long> deposits = new HashMap<>();
  /** Recent charges and refunds by order id, oldest first, for idempotent retries. */
  private final LinkedHashMap<String, Charge> charges = new LinkedHashMap<>();
  private final Duration holdWindow;

  record Charge(long amount, boolean refunded, Instant at) {}

  AccountLedger(Duration holdWindow) {
    this.holdWindow = holdWindow;
  }

  boolean isOpen() {
    return currency != null;
  }

  boolean isRegistered() {
    return definition != null;
  }

  Optional<ChannelPrice> price(String skuId) {
    return Optional.ofNullable(prices.get(skuId));
  }

  ChannelCredentials credentials() {
    return credentials;
  }

  ChannelView channelView() {
    return new ChannelView(definition, credentials.apiKey(), view(), Map.copyOf(prices), registeredAt);
  }

  void register(ChannelDefinition definition, ChannelCredentials credentials, Instant at) {
    this.definition = definition;
    this.credentials = credentials;
    this.registeredAt = at;
    open(definition.currency());
  }

  void setPrice(String skuId, ChannelPrice price) {
    prices.put(skuId, price);
  }

  String currency() {
    return currency;
  }

  long balance() {
    return balance;
  }

  Optional<Long> deposit(String reference) {
    return Optional.ofNullable(deposits.get(reference));
  }

  Optional<Charge> charge(String orderId) {
    return Optional.ofNullable(charges.get(orderId));
  }

  AccountView view() {
    return new AccountView(money(balance), money(deposited), money(debited), money(refunded));
  }

  Money money(long amount) {
    return Money.of(amount, currency);
  }

  /** Plans debits against the balance as it is plus what was already planned. */
  final class Planner {
    private long planned;

    boolean plan(long amount) {
      if (amount < 0 || balance - planned < amount) {
        return false;
      }
      planned += amount;
      return true;
    }

    long balanceAfter() {
      return balance - planned;
    }
  }

  Planner planner() {
    return new Planner();
  }

  AccountSnapshot snapshot() {
    return new AccountSnapshot(definition, credentials, registeredAt, Map.copyOf(prices),
        currency, balance, deposited, debited, refunded, Map.copyOf(deposits),
        charges.entrySet().stream().map(e -> new AccountSnapshot.ChargeSnapshot(e.getKey(), e.getValue().amount(),
            e.getValue().refunded(), e.getValue().at())).toList());
  }

  static AccountLedger restore(AccountSnapshot snapshot, Duration holdWindow) {
    AccountLedger ledger = new AccountLedger(holdWindow);
    ledger.definition = snapshot.definition();
    ledger.credentials = snapshot.credentials();
    ledger.registeredAt = snapshot.registeredAt();
    ledger.prices.putAll(snapshot.prices());
    ledger.currency = snapshot.currency();
    ledger.balance = snapshot.balance();
    ledger.deposited = snapshot.deposited();
    ledger.debited = snapshot.debited();
    ledger.refunded = snapshot.refunded();
    ledger.deposits.putAll(snapshot.deposits());
    snapshot.charges().forEach(c -> ledger.charges.put(c.orderId(), new Charge(c.amount(), c.refunded(), c.at())));
    return ledger;
  }

  // ---- facts

  void open(String currency) {
    this.currency = currency;
  }

  void deposited(String reference, long amount) {
    deposits.put(reference, amount);
    balance = Math.addExact(balance, amount);
    deposited = Math.addExact(deposited, amount);
  }

  void debited(String orderId, long amount, Instant at) {
    if (amount > balance) {
      throw new IllegalStateException("a debit larger than the balance was persisted");
    }
    balance -= amount;
    debited += amount;
    charges.put(orderId, new Charge(amount, false, at));
    forgetBefore(at.minus(holdWindow));
  }

  void refunded(String orderId, long amount, Instant at) {
    balance = Math.addExact(balance, amount);
    refunded += amount;
    charges.remove(orderId);
    charges.put(orderId, new Charge(amount, true, at));
    forgetBefore(at.minus(holdWindow));
  }

  private void forgetBefore(Instant cutoff) {
    Iterator<Charge> oldestFirst = charges.values().iterator();
    while (oldestFirst.hasNext() && oldestFirst.next().at().isBefore(cutoff)) {
      oldestFirst.remove();
    }
  }
}
