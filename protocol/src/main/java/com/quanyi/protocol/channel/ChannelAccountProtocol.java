package com.quanyi.protocol.channel;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.RefusalReason;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of a channel's prepaid account (one sharded persistent actor per channel): its
 * commands, events and replies. The behavior is {@code node/…/channel/ChannelAccount}.
 *
 * <p>Money is always in the account's currency and in minor units. Every cent is traceable:
 * {@code deposited = balance + debited − refunded}, and the balance never goes below zero.
 */
public final class ChannelAccountProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ChannelAccount");

  private ChannelAccountProtocol() {}

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node, never sent by another party. */
  public non-sealed interface Internal extends Command {}

  /** Opens the account in a currency; idempotent for the same currency. */
  public record OpenAccount(String currency, String actor, ActorRef<AccountReply> replyTo) implements Command {}

  /**
   * Registers the channel: its definition and its API credentials (the secret sealed by the
   * vault's master key). Opens its account in the definition's currency.
   */
  public record RegisterChannel(ChannelDefinition definition, ChannelCredentials credentials, String actor,
      ActorRef<ChannelReply> replyTo) implements Command {}

  public record GetChannel(ActorRef<ChannelReply> replyTo) implements Command {}

  /** This channel's price for a SKU (千渠千面), with an optional unit quota. */
  public record SetPrice(String skuId, Money price, Integer quota, String actor, ActorRef<ChannelReply> replyTo)
      implements Command {}

  /** Adds money; idempotent by {@code reference}: the same reference twice is one deposit. */
  public record Deposit(String reference, Money amount, String actor, ActorRef<AccountReply> replyTo)
      implements Command {}

  /**
   * Charges an order; the same order id twice is one charge (within the hold window). The units of
   * {@code skuId} it buys count against this channel's quota for that SKU, if it has one.
   */
  public record Debit(String orderId, Money amount, String skuId, int units, long notAfterMillis,
      OrderAccepted accepted, ActorRef<DebitReply> replyTo) implements Command {
    /**
     * A charge that is also the order's acceptance ({@code accepted}): the account writes both in one
     * event, and the order is accepted exactly when it is charged.
     */
    public Debit(String orderId, Money amount, String skuId, int units, long notAfterMillis,
        ActorRef<DebitReply> replyTo) {
      this(orderId, amount, skuId, units, notAfterMillis, null, replyTo);
    }

    /** A charge that buys no counted units. */
    public Debit(String orderId, Money amount, ActorRef<DebitReply> replyTo) {
      this(orderId, amount, null, 0, replyTo);
    }

    public Debit(String orderId, Money amount, String skuId, int units, ActorRef<DebitReply> replyTo) {
      this(orderId, amount, skuId, units, 0, replyTo);
    }

    /** Whether the placement that asks for this charge ran out of time ({@code notAfterMillis} 0: never). */
    public boolean expired(long nowMillis) {
      return notAfterMillis > 0 && nowMillis > notAfterMillis;
    }
  }

  /**
   * Prices an order at this channel's price and holds the money and quota units it needs, in memory,
   * until its debit or for a short while: a card-code order is refused (no price, quota used up,
   * balance short) before anything is allocated or written, and orders racing for the last of a
   * balance cannot all pass this check and then fail to be charged. Nothing is persisted.
   */
  public record Reserve(String orderId, String skuId, int units, ActorRef<Reservation> replyTo) implements Command {}

  /**
   * From an order entity that finds nothing in its own journal: whether this account accepted the
   * order with its charge ({@link OrderCharge#accepted}). The account knows the acceptances of its
   * hold window and which of them the index ({@code accepted_orders}) does not have yet.
   */
  public record FindAcceptance(String orderId, ActorRef<AcceptanceLookup> replyTo) implements Command {}

  /** The order will not be charged after all (refused by risk or stock): free what it held. */
  public record CancelReservation(String orderId) implements Command {}

  /**
   * Refunds an order's charge, once. The refund stays open until the order has written it and
   * closes it ({@link CloseRefund}): a repeat meanwhile, however late (the order's node died between
   * the refund and its write), is answered without a second refund. {@code orderId} is the key the
   * refund is known by: the order's id, or {@code <orderId>/<part SKU>} for a bundle part's share
   * (refunded once by that key, and the rest of the charge later by the order's id: never more
   * than the charge).
   */
  public record Refund(String orderId, Money amount, ActorRef<AccountReply> replyTo) implements Command {}

  /** From an order that has written its refund: it will not ask again, so the account stops remembering it. */
  public record CloseRefund(String orderId) implements Command {}

  public record GetAccount(ActorRef<AccountReply> replyTo) implements Command {}

  /**
   * Refunds what this order was charged and not yet refunded, if it was charged before
   * {@code chargedBefore} (at any time when null); nothing otherwise. An order giving back units it
   * never accepted refunds only a charge from before it decided so: a placement of the same number
   * that started afresh meanwhile charged for an order it goes on to deliver.
   */
  public record RefundCharge(String orderId, Instant chargedBefore, ActorRef<AccountReply> replyTo) implements Command {

    /** Whenever it was charged. */
    public static RefundCharge any(String orderId, ActorRef<AccountReply> replyTo) {
      return new RefundCharge(orderId, null, replyTo);
    }
  }

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record AccountOpened(String currency, String actor, Instant at) implements Event {}

  public record ChannelRegistered(ChannelDefinition definition, ChannelCredentials credentials, String actor, Instant at)
      implements Event {}

  public record PriceSet(String skuId, Money price, Integer quota, String actor, Instant at) implements Event {}

  public record DepositReceived(String reference, Money amount, String actor, Instant at) implements Event {}

  /** One write for a group of order charges. */
  public record OrdersDebited(List<OrderCharge> charges, Instant at) implements Event {}

  /** {@code open}: asked by the order ({@link Refund}), remembered until it closes it; a reversal is not. */
  public record OrderRefunded(String orderId, Money amount, Instant at, boolean open) implements Event {}

  public record RefundClosed(String orderId, Instant at) implements Event {}

  /**
   * {@code skuId} null and {@code units} 0 for a charge that buys no counted units. {@code accepted}:
   * the order's acceptance, when the charge is also that (a card-code order delivered at once); null
   * otherwise, and in older events.
   */
  public record OrderCharge(String orderId, Money amount, String skuId, int units, OrderAccepted accepted)
      implements CborSerializable {
    public OrderCharge(String orderId, Money amount, String skuId, int units) {
      this(orderId, amount, skuId, units, null);
    }
  }

  // ---- replies

  /**
   * A channel as the admin API shows it (never its secret). {@code unitsBought}: per SKU, units
   * charged and not refunded, what a SKU's quota is counted against.
   */
  public record ChannelView(ChannelDefinition definition, String apiKey, AccountView account,
      java.util.Map<String, ChannelPrice> prices, java.util.Map<String, Long> unitsBought, Instant registeredAt)
      implements CborSerializable {

    /** Whether buying {@code units} more of the SKU stays within its quota (true when it has none). */
    public boolean withinQuota(String skuId, int units) {
      ChannelPrice price = prices.get(skuId);
      return price == null || price.quota() == null || unitsBought.getOrDefault(skuId, 0L) + units <= price.quota();
    }
  }

  public record ChannelPrice(Money price, Integer quota) implements CborSerializable {}

  public sealed interface ChannelReply extends CborSerializable {}

  public record ChannelFound(ChannelView channel, ChannelCredentials credentials) implements ChannelReply {}

  public record ChannelAlreadyExists(ChannelView channel) implements ChannelReply {}

  public record ChannelNotFound() implements ChannelReply {}

  public record ChannelRefused(String reason) implements ChannelReply {}

  /** The account's figures; {@code deposited = balance + debited − refunded} always holds. */
  public record AccountView(Money balance, Money deposited, Money debited, Money refunded) implements CborSerializable {}

  public sealed interface AccountReply extends CborSerializable {}

  public record AccountState(AccountView account) implements AccountReply {}

  public record AccountNotOpen() implements AccountReply, DebitReply {}

  /** The request cannot apply to this account (wrong currency, reused reference…); safe to show. */
  public record AccountRefused(String reason) implements AccountReply, DebitReply {}

  public sealed interface Reservation extends CborSerializable {}

  /**
   * {@code amount}: what the order costs at this channel's price. {@code charged}: the order was
   * charged already (a repeat, or a placement cut off after its debit), or its number was charged
   * within the last day (then {@code amount} is 0: the charge itself is forgotten); nothing new was held.
   */
  public record Reserved(Money amount, boolean charged) implements Reservation {}

  /** Refused before anything was held. */
  public record ReservationRefused(RefusalReason reason, String detail) implements Reservation {}

  public sealed interface AcceptanceLookup extends CborSerializable {}

  /** Accepted with its charge, and not yet in the index. */
  public record AcceptanceFound(OrderAccepted accepted) implements AcceptanceLookup {}

  /** The account does not remember the order, or accepted it and the index has it: look there. */
  public record LookInIndex() implements AcceptanceLookup {}

  /** Charged without an acceptance (accepted by its own entity, or not at all yet): nothing to adopt. */
  public record NoAcceptance() implements AcceptanceLookup {}

  public sealed interface DebitReply extends CborSerializable {}

  /**
   * {@code repeat}: the order was charged already (an earlier request, or another placement of the
   * same order number racing this one): nothing was charged now, and this request must never refund
   * that charge.
   */
  public record Debited(String orderId, Money amount, Money balance, boolean repeat) implements DebitReply {
    public Debited(String orderId, Money amount, Money balance) {
      this(orderId, amount, balance, false);
    }
  }

  public record InsufficientBalance(Money balance) implements DebitReply {}

  /**
   * The order was charged already for another amount, SKU or quantity: the same order number used
   * for different content. Nothing was charged.
   */
  public record ChargedOtherwise(String orderId) implements DebitReply {}

  /** The channel bought {@code bought} units of the SKU already; this charge would pass its {@code quota}. */
  public record QuotaExceeded(String skuId, long quota, long bought) implements DebitReply {}

  /** Too many debits are waiting on this account; nothing was charged, retry. */
  public record DebitOverloaded() implements DebitReply {}
}
