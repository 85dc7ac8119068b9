package com.quanyi.node.channel;

import com.quanyi.node.RecentOrders;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelCredentials;
import com.quanyi.protocol.channel.ChannelDefinition;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelPrice;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelView;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountView;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
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
  /** Per SKU: units charged and not refunded, what a price's quota counts. */
  private final Map<String, Long> unitsBought = new TreeMap<>();
  /** Recent charges and refunds by order id, oldest first, for idempotent retries. */
  private final LinkedHashMap<String, Charge> charges = new LinkedHashMap<>();
  /** Refunds an order asked for and has not yet said it wrote, by order id: never given twice. */
  private final Map<String, Long> openRefunds = new HashMap<>();
  /**
   * Acceptances written with their charges that the index may not have yet, by order id. Removed
   * when the index confirms them, which is no event: after a restart the set may hold some the index
   * has, and writing those again writes the same rows.
   */
  private final LinkedHashMap<String, OrderAccepted> unindexed = new LinkedHashMap<>();
  private final Duration holdWindow;
  /** Every order number charged within {@code numbersKept}: a day at least, after the charge is forgotten. */
  private final RecentOrders numbers;

  /** {@code accepted}: the charge was also the order's acceptance (see {@code OrderCharge#accepted}). */
  record Charge(long amount, boolean refunded, Instant at, String skuId, int units, boolean accepted) {
    /** Whether this is the charge a debit of that content would make (a repeat, not a different order). */
    boolean charges(long otherAmount, String otherSkuId, int otherUnits) {
      return amount == otherAmount && java.util.Objects.equals(skuId, otherSkuId) && units == otherUnits;
    }
  }

  AccountLedger(Duration holdWindow, Duration numbersKept) {
    this.holdWindow = holdWindow;
    this.numbers = new RecentOrders(numbersKept);
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
    return new ChannelView(definition, credentials.apiKey(), view(), Map.copyOf(prices), Map.copyOf(unitsBought),
        registeredAt);
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

  /** Whether this order number was charged within the last day (or so), however long ago its charge was forgotten. */
  boolean numberUsed(String orderId) {
    return charges.containsKey(orderId) || numbers.contains(orderId);
  }

  AccountView view() {
    return new AccountView(money(balance), money(deposited), money(debited), money(refunded));
  }

  Money money(long amount) {
    return Money.of(amount, currency);
  }

  /** Plans debits against the balance and the quotas as they are plus what was already planned. */
  final class Planner {
    private long planned;
    private final Map<String, Long> plannedUnits = new HashMap<>();

    boolean affords(long amount) {
      return amount >= 0 && balance - planned >= amount;
    }

    /** Units of the SKU bought and planned; what the quota is checked against. */
    long unitsBought(String skuId) {
      return unitsBought.getOrDefault(skuId, 0L) + plannedUnits.getOrDefault(skuId, 0L);
    }

    /** The SKU's quota, if this channel's price for it has one. */
    Optional<Integer> quota(String skuId) {
      return Optional.ofNullable(skuId).map(prices::get).map(ChannelPrice::quota);
    }

    void plan(long amount, String skuId, int units) {
      planned += amount;
      if (skuId != null) {
        plannedUnits.merge(skuId, (long) units, Long::sum);
      }
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
            e.getValue().refunded(), e.getValue().at(), e.getValue().skuId(), e.getValue().units(),
            e.getValue().accepted())).toList(),
        Map.copyOf(unitsBought), Map.copyOf(openRefunds), List.copyOf(unindexed.values()), numbers.snapshot());
  }

  static AccountLedger restore(AccountSnapshot snapshot, Duration holdWindow, Duration numbersKept) {
    AccountLedger ledger = new AccountLedger(holdWindow, numbersKept);
    if (snapshot.orderNumbers() != null) {
      ledger.numbers.restore(snapshot.orderNumbers());
    }
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
    snapshot.charges().forEach(c -> ledger.charges.put(c.orderId(),
        new Charge(c.amount(), c.refunded(), c.at(), c.skuId(), c.units(), c.accepted())));
    if (snapshot.unitsBought() != null) {
      ledger.unitsBought.putAll(snapshot.unitsBought());
    }
    if (snapshot.openRefunds() != null) {
      ledger.openRefunds.putAll(snapshot.openRefunds());
    }
    if (snapshot.unindexed() != null) {
      snapshot.unindexed().forEach(a -> ledger.unindexed.put(a.request().orderId(), a));
    }
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

  void debited(String orderId, long amount, String skuId, int units, OrderAccepted accepted, Instant at) {
    if (amount > balance) {
      throw new IllegalStateException("a debit larger than the balance was persisted");
    }
    balance -= amount;
    debited += amount;
    charges.put(orderId, new Charge(amount, false, at, skuId, units, accepted != null));
    numbers.add(orderId, at);
    if (accepted != null) {
      unindexed.put(orderId, accepted);
    }
    if (skuId != null) {
      unitsBought.merge(skuId, (long) units, Long::sum);
    }
    forgetBefore(at.minus(holdWindow));
  }

  /**
   * A refund gives the units back to the quota only while the charge is remembered (the hold
   * window): a late refund leaves them counted, so a quota errs on the side of selling less.
   */
  void refunded(String orderId, long amount, Instant at, boolean open) {
    balance = Math.addExact(balance, amount);
    refunded += amount;
    if (open) {
      openRefunds.put(orderId, amount);
    }
    Charge charge = charges.remove(orderId);
    String skuId = null;
    int units = 0;
    if (charge != null && !charge.refunded() && charge.skuId() != null) {
      skuId = charge.skuId();
      units = charge.units();
      unitsBought.computeIfPresent(skuId, (sku, bought) -> bought > charge.units() ? bought - charge.units() : null);
    }
    charges.put(orderId, new Charge(amount, true, at, skuId, units, charge != null && charge.accepted()));
    forgetBefore(at.minus(holdWindow));
  }

  /** At most {@code count} of the acceptances the index may not have yet, oldest first. */
  List<OrderAccepted> unindexed(int count) {
    return unindexed.values().stream().limit(count).toList();
  }

  boolean hasUnindexed() {
    return !unindexed.isEmpty();
  }

  Optional<OrderAccepted> unindexed(String orderId) {
    return Optional.ofNullable(unindexed.get(orderId));
  }

  /** The index has these now (not an event: see {@link #unindexed}). */
  void indexed(List<String> orderIds) {
    orderIds.forEach(unindexed::remove);
  }

  void refundClosed(String orderId) {
    openRefunds.remove(orderId);
  }

  /** The amount of this order's refund, while the order has not yet said it wrote it. */
  Optional<Long> openRefund(String orderId) {
    return Optional.ofNullable(openRefunds.get(orderId));
  }

  private void forgetBefore(Instant cutoff) {
    Iterator<Charge> oldestFirst = charges.values().iterator();
    while (oldestFirst.hasNext() && oldestFirst.next().at().isBefore(cutoff)) {
      oldestFirst.remove();
    }
  }
}
