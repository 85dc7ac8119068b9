package com.quanyi.node.channel;

import static com.quanyi.protocol.channel.ChannelAccountProtocol.TYPE_KEY;

import com.quanyi.node.WriteGuard;
import com.quanyi.node.groupcommit.GroupCommit;
import com.quanyi.node.metrics.GroupMeter;
import com.quanyi.node.projection.EventTags;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountNotOpen;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountOpened;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountRefused;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountState;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelAlreadyExists;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelNotFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelPrice;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelRefused;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelRegistered;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChargedOtherwise;
import com.quanyi.protocol.channel.ChannelAccountProtocol.CancelReservation;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Command;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitOverloaded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debited;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Deposit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DepositReceived;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Event;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetAccount;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetChannel;
import com.quanyi.protocol.channel.ChannelAccountProtocol.InsufficientBalance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OpenAccount;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderRefunded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RefundClosed;
import com.quanyi.protocol.channel.ChannelAccountProtocol.CloseRefund;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrdersDebited;
import com.quanyi.protocol.channel.ChannelAccountProtocol.PriceSet;
import com.quanyi.protocol.channel.ChannelAccountProtocol.QuotaExceeded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Refund;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RegisterChannel;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reserve;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reserved;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ReservationRefused;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RefundCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.SetPrice;
import com.quanyi.protocol.order.RefusalReason;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AcceptanceFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.FindAcceptance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.LookInIndex;
import com.quanyi.protocol.channel.ChannelAccountProtocol.NoAcceptance;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A channel's prepaid account: deposits (idempotent by reference), order debits (idempotent by
 * order id, grouped: one write per group), refunds. The balance never goes negative: a debit is
 * planned against the balance minus everything already planned in its group. A debit may carry its
 * order's acceptance (a card-code order delivered at once), written in the same group and then in
 * the acceptance index; until the index has it, the account answers for it ({@link FindAcceptance}).
 */
public final class ChannelAccount extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, AccountLedger> {

  /** These acceptances are in the index now ({@code catchingUp}: see {@link IndexAcceptances}). */
  record AcceptancesIndexed(List<String> orderIds, boolean catchingUp) implements ChannelAccountProtocol.Internal {}

  /**
   * Write the acceptances the index may not have (after a restart or a failed
   * write), the oldest first, a bounded number at a time until none is left.
   */
  record IndexAcceptances() implements ChannelAccountProtocol.Internal {}

  /** The debits gathered while a write was in flight. */
  record DebitGroup(List<Debit> debits) implements ChannelAccountProtocol.Internal {}

  /** A debit group was decided and written. */
  record DebitGroupDone() implements ChannelAccountProtocol.Internal {}

  private static final Logger log = LoggerFactory.getLogger(ChannelAccount.class);
  /** Most acceptances written to the index at once when catching up (after a restart or a failure). */
  static final int INDEX_AT_ONCE = 256;

  private final String channelId;
  private final ActorRef<Command> front;
  private final Clock clock;
  private final AccountSettings settings;
  /** Held for card-code orders in flight; command-side and transient, never state. */
  private final Reservations reservations = new Reservations();
  private final ActorContext<Command> ctx;
  /** Writes acceptances to the index ({@code AcceptanceIndex#write}); completes when they are there. */
  private final Function<List<OrderAccepted>, CompletionStage<Void>> index;

  private ChannelAccount(ActorContext<Command> ctx, String channelId, ActorRef<Command> front, Clock clock,
      AccountSettings settings, Function<List<OrderAccepted>, CompletionStage<Void>> index) {
    super(PersistenceId.of(TYPE_KEY.name(), channelId));
    this.ctx = ctx;
    this.channelId = channelId;
    this.front = front;
    this.clock = clock;
    this.settings = settings;
    this.index = index;
  }

  public static void init(ActorSystem<?> system, AccountSettings settings,
      Function<List<OrderAccepted>, CompletionStage<Void>> index) {
    // Remembered: after a node or Cassandra dies, every account starts again by itself (on its
    // shard's new node, or after a failed write), and its recovery writes the tag views of events
    // that reached the journal alone, which the reports need (see TagSource), although the
    // channel may never order again.
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
        ctx -> withGroupCommit(ctx.getEntityId(), settings, Clock.systemUTC(), index))
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  private static final GroupMeter DEBIT_GROUPS = GroupMeter.of("account");

  public static Behavior<Command> withGroupCommit(String channelId, AccountSettings settings, Clock clock,
      Function<List<OrderAccepted>, CompletionStage<Void>> index) {
    return GroupCommit.create(front -> create(channelId, front, clock, settings, index), new GroupCommit.Spec<>(
        Debit.class, DebitGroupDone.class, DebitGroup::new, debit -> debit.replyTo().tell(new DebitOverloaded()),
        settings.maxWaitingDebits(), settings.maxGroupSize(), DEBIT_GROUPS));
  }

  public static Behavior<Command> create(String channelId, ActorRef<Command> front, Clock clock,
      AccountSettings settings, Function<List<OrderAccepted>, CompletionStage<Void>> index) {
    return Behaviors.setup(ctx -> new ChannelAccount(ctx, channelId, front, clock, settings, index));
  }

  /**
   * Every account event is tagged: the account statement and channel tree projections read them. A
   * debit that accepts orders also carries those orders' tags, so that the order projections (sales,
   * settlement, callbacks) read the acceptances where they were written.
   */
  @Override
  public Set<String> tagsFor(Event event) {
    String own = EventTags.tagFor(EventTags.ACCOUNT, channelId, settings.tags());
    if (!(event instanceof OrdersDebited debited)) {
      return Set.of(own);
    }
    Set<String> tags = new HashSet<>();
    tags.add(own);
    debited.charges().stream().filter(c -> c.accepted() != null)
        .forEach(c -> tags.add(EventTags.tagFor(EventTags.ORDER, c.orderId(), settings.tags())));
    return tags;
  }

  /** After a restart, the acceptances the index may lack are written (again). */
  @Override
  public SignalHandler<AccountLedger> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), ledger -> {
          if (ledger.hasUnindexed()) {
            ctx.getSelf().tell(new IndexAcceptances());
          }
        })
        .build();
  }

  @Override
  public AccountLedger emptyState() {
    return new AccountLedger(settings.holdWindow(), settings.orderNumbersKept());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public SnapshotAdapter<AccountLedger> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(AccountLedger state) {
        return AccountSnapshot.of(state);
      }

      @Override
      public AccountLedger fromJournal(Object from) {
        return ((AccountSnapshot) from).toLedger(settings.holdWindow(), settings.orderNumbersKept());
      }
    };
  }

  @Override
  public CommandHandlerWithReply<Command, Event, AccountLedger> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder.forState(ledger -> !ledger.isOpen())
        .onCommand(OpenAccount.class, (ledger, cmd) -> Effect()
            .persist(new AccountOpened(cmd.currency(), cmd.actor(), clock.instant()))
            .thenReply(cmd.replyTo(), l -> new AccountState(l.view())))
        .onCommand(RegisterChannel.class, (ledger, cmd) -> Effect()
            .persist(new ChannelRegistered(cmd.definition(), cmd.credentials(), cmd.actor(), clock.instant()))
            .thenReply(cmd.replyTo(), l -> new ChannelFound(l.channelView(), l.credentials())))
        .onCommand(GetChannel.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new ChannelNotFound()))
        .onCommand(SetPrice.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new ChannelNotFound()))
        .onCommand(Deposit.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new AccountNotOpen()))
        .onCommand(Refund.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new AccountNotOpen()))
        .onCommand(RefundCharge.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new AccountNotOpen()))
        .onCommand(CloseRefund.class, (ledger, cmd) -> Effect().noReply())
        .onCommand(GetAccount.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new AccountNotOpen()))
        .onCommand(Reserve.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(),
            new ReservationRefused(RefusalReason.SKU_UNAVAILABLE, "no such channel")))
        .onCommand(CancelReservation.class, (ledger, cmd) -> Effect().noReply())
        .onCommand(FindAcceptance.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new LookInIndex()))
        .onCommand(AcceptancesIndexed.class, (ledger, cmd) -> Effect().noReply())
        .onCommand(IndexAcceptances.class, (ledger, cmd) -> Effect().noReply())
        .onCommand(Debit.class, (ledger, cmd) -> debit(ledger, List.of(cmd)))
        .onCommand(DebitGroup.class, (ledger, cmd) -> debit(ledger, cmd.debits()))
        .onCommand(DebitGroupDone.class, (ledger, cmd) -> Effect().noReply());
    builder.forState(AccountLedger::isOpen)
        .onCommand(OpenAccount.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), ledger.currency().equals(cmd.currency())
            ? new AccountState(ledger.view())
            : new AccountRefused("the account is open in " + ledger.currency())))
        .onCommand(RegisterChannel.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), ledger.isRegistered()
            ? new ChannelAlreadyExists(ledger.channelView())
            : new ChannelRefused("an account without a channel exists under this id")))
        .onCommand(GetChannel.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), ledger.isRegistered()
            ? new ChannelFound(ledger.channelView(), ledger.credentials())
            : new ChannelNotFound()))
        .onCommand(SetPrice.class, this::setPrice)
        .onCommand(Deposit.class, this::deposit)
        .onCommand(Refund.class, this::refund)
        .onCommand(RefundCharge.class, this::refundCharge)
        .onCommand(CloseRefund.class, (ledger, cmd) -> ledger.openRefund(cmd.orderId()).isEmpty() ? Effect().noReply()
            : Effect().persist(new RefundClosed(cmd.orderId(), clock.instant())).thenNoReply())
        .onCommand(GetAccount.class, (ledger, cmd) -> Effect().reply(cmd.replyTo(), new AccountState(ledger.view())))
        .onCommand(Reserve.class, this::reserve)
        .onCommand(CancelReservation.class, (ledger, cmd) -> {
          reservations.release(cmd.orderId());
          return Effect().noReply();
        })
        .onCommand(FindAcceptance.class, this::findAcceptance)
        .onCommand(AcceptancesIndexed.class, (ledger, cmd) -> {
          ledger.indexed(cmd.orderIds());
          if (cmd.catchingUp() && ledger.hasUnindexed()) {
            ctx.getSelf().tell(new IndexAcceptances());
          }
          return Effect().noReply();
        })
        .onCommand(IndexAcceptances.class, (ledger, cmd) -> {
          indexed(ledger.unindexed(INDEX_AT_ONCE), true);
          return Effect().noReply();
        })
        .onCommand(Debit.class, (ledger, cmd) -> debit(ledger, List.of(cmd)))
        .onCommand(DebitGroup.class, (ledger, cmd) -> debit(ledger, cmd.debits()))
        .onCommand(DebitGroupDone.class, (ledger, cmd) -> Effect().noReply());
    return builder.build();
  }

  private ReplyEffect<Event, AccountLedger> setPrice(AccountLedger ledger, SetPrice cmd) {
    if (!ledger.isRegistered()) {
      return Effect().reply(cmd.replyTo(), new ChannelNotFound());
    }
    if (!cmd.price().currency().equals(ledger.currency())) {
      return Effect().reply(cmd.replyTo(), new ChannelRefused("prices are in " + ledger.currency()));
    }
    if (cmd.quota() != null && cmd.quota() < 0) {
      return Effect().reply(cmd.replyTo(), new ChannelRefused("quota must be 0 or more"));
    }
    return Effect().persist(new PriceSet(cmd.skuId(), cmd.price(), cmd.quota(), cmd.actor(), clock.instant()))
        .thenReply(cmd.replyTo(), l -> new ChannelFound(l.channelView(), l.credentials()));
  }

  private ReplyEffect<Event, AccountLedger> deposit(AccountLedger ledger, Deposit cmd) {
    if (!cmd.amount().currency().equals(ledger.currency())) {
      return Effect().reply(cmd.replyTo(), new AccountRefused("deposits are in " + ledger.currency()));
    }
    if (cmd.amount().amount() < 1) {
      return Effect().reply(cmd.replyTo(), new AccountRefused("a deposit is at least one minor unit"));
    }
    Optional<Long> earlier = ledger.deposit(cmd.reference());
    if (earlier.isPresent()) {
      return Effect().reply(cmd.replyTo(), earlier.get() == cmd.amount().amount()
          ? new AccountState(ledger.view())
          : new AccountRefused("reference " + cmd.reference() + " was used for another amount"));
    }
    return Effect().persist(new DepositReceived(cmd.reference(), cmd.amount(), cmd.actor(), clock.instant()))
        .thenReply(cmd.replyTo(), l -> new AccountState(l.view()));
  }

  private ReplyEffect<Event, AccountLedger> refund(AccountLedger ledger, Refund cmd) {
    if (!cmd.amount().currency().equals(ledger.currency()) || cmd.amount().amount() < 1) {
      return Effect().reply(cmd.replyTo(), new AccountRefused("a refund is a positive amount in " + ledger.currency()));
    }
    Optional<Long> open = ledger.openRefund(cmd.orderId());
    if (open.isPresent()) {
      return Effect().reply(cmd.replyTo(), open.get() == cmd.amount().amount() ? new AccountState(ledger.view())
          : new AccountRefused("order " + cmd.orderId() + " was refunded another amount"));
    }
    Optional<AccountLedger.Charge> charge = ledger.charge(cmd.orderId());
    if (charge.isPresent() && charge.get().refunded()) {
      return Effect().reply(cmd.replyTo(), new AccountState(ledger.view()));
    }
    // Less than the charge is what is left after a part's share came back (refunded under its own key).
    if (charge.isPresent() && charge.get().amount() < cmd.amount().amount()) {
      return Effect().reply(cmd.replyTo(), new AccountRefused("order " + cmd.orderId() + " was charged less"));
    }
    return Effect().persist(new OrderRefunded(cmd.orderId(), cmd.amount(), clock.instant(), true))
        .thenReply(cmd.replyTo(), l -> new AccountState(l.view()));
  }

  private ReplyEffect<Event, AccountLedger> refundCharge(AccountLedger ledger, RefundCharge cmd) {
    Optional<AccountLedger.Charge> charge = ledger.charge(cmd.orderId());
    if (charge.isEmpty() || charge.get().refunded()
        || cmd.chargedBefore() != null && !charge.get().at().isBefore(cmd.chargedBefore())) {
      return Effect().reply(cmd.replyTo(), new AccountState(ledger.view()));
    }
    if (!WriteGuard.get(ctx.getSystem()).mayWrite()) {
      return Effect().noReply();
    }
    return Effect().persist(new OrderRefunded(cmd.orderId(), ledger.money(charge.get().amount()), clock.instant(),
            false))
        .thenReply(cmd.replyTo(), l -> new AccountState(l.view()));
  }

  /**
   * Prices the order and holds its money and units against everything else held or charged; a
   * repeat of a charged order holds nothing and says so.
   */
  private ReplyEffect<Event, AccountLedger> reserve(AccountLedger ledger, Reserve cmd) {
    Optional<AccountLedger.Charge> charged = ledger.charge(cmd.orderId()).filter(c -> !c.refunded());
    if (charged.isPresent()) {
      return Effect().reply(cmd.replyTo(), new Reserved(ledger.money(charged.get().amount()), true));
    }
    if (ledger.charge(cmd.orderId()).isEmpty() && ledger.numberUsed(cmd.orderId())) {
      // Charged within the last day, the charge itself forgotten: its order answers (or, never
      // accepted, places it afresh); nothing is held or allocated for it here.
      return Effect().reply(cmd.replyTo(), new Reserved(ledger.money(0), true));
    }
    Optional<ChannelPrice> price = ledger.isRegistered() ? ledger.price(cmd.skuId()) : Optional.empty();
    if (price.isEmpty()) {
      return Effect().reply(cmd.replyTo(), new ReservationRefused(RefusalReason.SKU_UNAVAILABLE,
          "SKU " + cmd.skuId() + " is not in this channel's catalog"));
    }
    long now = clock.millis();
    reservations.expire(now);
    reservations.release(cmd.orderId());
    long amount = Math.multiplyExact(price.get().price().amount(), cmd.units());
    AccountLedger.Planner planner = ledger.planner();
    Integer quota = price.get().quota();
    if (quota != null && planner.unitsBought(cmd.skuId()) + reservations.units(cmd.skuId()) + cmd.units() > quota) {
      return Effect().reply(cmd.replyTo(), new ReservationRefused(RefusalReason.LIMIT_EXCEEDED,
          "this channel's quota for SKU " + cmd.skuId() + " is used up"));
    }
    if (!planner.affords(amount + reservations.amount())) {
      return Effect().reply(cmd.replyTo(), new ReservationRefused(RefusalReason.INSUFFICIENT_BALANCE,
          "the balance does not cover " + amount));
    }
    reservations.hold(cmd.orderId(), amount, cmd.skuId(), cmd.units(), now + settings.reserveFor().toMillis());
    return Effect().reply(cmd.replyTo(), new Reserved(ledger.money(amount), false));
  }

  /**
   * An acceptance the index may lack is answered from memory; one of a charge the account remembers
   * as accepted, or of an order it does not remember at all, is in the index; a charge remembered
   * without one was not accepted here.
   */
  private ReplyEffect<Event, AccountLedger> findAcceptance(AccountLedger ledger, FindAcceptance cmd) {
    Optional<OrderAccepted> unindexed = ledger.unindexed(cmd.orderId());
    if (unindexed.isPresent()) {
      return Effect().reply(cmd.replyTo(), new AcceptanceFound(unindexed.get()));
    }
    Optional<AccountLedger.Charge> charge = ledger.charge(cmd.orderId());
    return Effect().reply(cmd.replyTo(), charge.isPresent() && !charge.get().accepted() ? new NoAcceptance()
        : new LookInIndex());
  }

  /**
   * Writes acceptances to the index; after a failure, every acceptance not yet confirmed is written
   * again a second later ({@link IndexAcceptances}).
   */
  private void indexed(List<OrderAccepted> acceptances, boolean catchingUp) {
    if (acceptances.isEmpty()) {
      return;
    }
    List<String> orderIds = acceptances.stream().map(a -> a.request().orderId()).toList();
    ctx.pipeToSelf(index.apply(acceptances), (done, failure) -> {
      if (failure == null) {
        return new AcceptancesIndexed(orderIds, catchingUp);
      }
      log.warn("Channel account {}: {} acceptances not indexed yet ({}); trying again", channelId, orderIds.size(),
          failure.getClass().getSimpleName());
      ctx.scheduleOnce(Duration.ofSeconds(1), ctx.getSelf(), new IndexAcceptances());
      return new AcceptancesIndexed(List.of(), false);
    });
  }

  /** Decides a group of debits at once: repeats get their first charge, refusals are answered now, one write. */
  private ReplyEffect<Event, AccountLedger> debit(AccountLedger ledger, List<Debit> debits) {
    if (!WriteGuard.get(ctx.getSystem()).mayWrite()) {
      // Maybe downed while standing still, this account live on another node: charge nothing here.
      debits.forEach(d -> d.replyTo().tell(new DebitOverloaded()));
      front.tell(new DebitGroupDone());
      return Effect().noReply();
    }
    if (!ledger.isOpen()) {
      debits.forEach(d -> d.replyTo().tell(new AccountNotOpen()));
      front.tell(new DebitGroupDone());
      return Effect().noReply();
    }
    AccountLedger.Planner planner = ledger.planner();
    Map<String, Long> decided = new HashMap<>();
    List<OrderCharge> charges = new ArrayList<>();
    List<Debit> toConfirm = new ArrayList<>();
    Set<Debit> charging = Collections.newSetFromMap(new IdentityHashMap<>());
    long now = clock.millis();
    reservations.expire(now);
    for (Debit debit : debits) {
      // What this order held no longer counts against it; what others hold does.
      reservations.release(debit.orderId());
      if (debit.expired(now)) {
        debit.replyTo().tell(new AccountRefused("the placement ran out of time; nothing was charged"));
        continue;
      }
      if (!debit.amount().currency().equals(ledger.currency())) {
        debit.replyTo().tell(new AccountRefused("the account is in " + ledger.currency()));
        continue;
      }
      // A charge that was refunded does not count: placing the order again charges it again.
      Optional<AccountLedger.Charge> earlier = ledger.charge(debit.orderId()).filter(c -> !c.refunded());
      if (earlier.isPresent() && !earlier.get().charges(debit.amount().amount(), debit.skuId(), debit.units())) {
        debit.replyTo().tell(new ChargedOtherwise(debit.orderId()));
        continue;
      }
      if (earlier.isPresent() || decided.containsKey(debit.orderId())) {
        toConfirm.add(debit);
        continue;
      }
      if (!planner.affords(debit.amount().amount() + reservations.amount())) {
        debit.replyTo().tell(new InsufficientBalance(ledger.money(planner.balanceAfter())));
        continue;
      }
      Optional<Integer> quota = planner.quota(debit.skuId());
      long heldByOthers = reservations.units(debit.skuId());
      if (quota.isPresent() && planner.unitsBought(debit.skuId()) + heldByOthers + debit.units() > quota.get()) {
        debit.replyTo().tell(new QuotaExceeded(debit.skuId(), quota.get(), planner.unitsBought(debit.skuId())));
        continue;
      }
      planner.plan(debit.amount().amount(), debit.skuId(), debit.units());
      decided.put(debit.orderId(), debit.amount().amount());
      charging.add(debit);
      charges.add(new OrderCharge(debit.orderId(), debit.amount(), debit.skuId(), debit.units(), debit.accepted()));
      toConfirm.add(debit);
    }
    if (charges.isEmpty()) {
      toConfirm.forEach(d -> d.replyTo().tell(confirmation(ledger, d.orderId(), decided, true)));
      front.tell(new DebitGroupDone());
      return Effect().noReply();
    }
    return Effect().persist(byOrderTag(charges, clock.instant()))
        .thenRun(l -> {
          toConfirm.forEach(d -> d.replyTo().tell(confirmation(l, d.orderId(), decided, !charging.contains(d))));
          front.tell(new DebitGroupDone());
          indexed(charges.stream().map(OrderCharge::accepted).filter(java.util.Objects::nonNull).toList(), false);
        })
        .thenNoReply();
  }

  /**
   * One event per order tag the group's acceptances fall in (and one for charges without an
   * acceptance), written together as one journal write: each order projection instance then reads
   * and deserializes only its own tag's acceptances, not every order of the group.
   */
  private List<Event> byOrderTag(List<OrderCharge> charges, java.time.Instant at) {
    Map<String, List<OrderCharge>> byTag = new java.util.TreeMap<>();
    for (OrderCharge charge : charges) {
      String tag = charge.accepted() == null ? ""
          : EventTags.tagFor(EventTags.ORDER, charge.orderId(), settings.tags());
      byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(charge);
    }
    List<Event> events = new ArrayList<>();
    byTag.values().forEach(group -> events.add(new OrdersDebited(group, at)));
    return events;
  }

  private static Debited confirmation(AccountLedger ledger, String orderId, Map<String, Long> decided,
      boolean repeat) {
    long amount = decided.containsKey(orderId) ? decided.get(orderId)
        : ledger.charge(orderId).map(AccountLedger.Charge::amount).orElseThrow();
    return new Debited(orderId, ledger.money(amount), ledger.money(ledger.balance()), repeat);
  }

  @Override
  public EventHandler<AccountLedger, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(AccountOpened.class, (ledger, e) -> {
          ledger.open(e.currency());
          return ledger;
        })
        .onEvent(ChannelRegistered.class, (ledger, e) -> {
          ledger.register(e.definition(), e.credentials(), e.at());
          return ledger;
        })
        .onEvent(PriceSet.class, (ledger, e) -> {
          ledger.setPrice(e.skuId(), new ChannelPrice(e.price(), e.quota()));
          return ledger;
        })
        .onEvent(DepositReceived.class, (ledger, e) -> {
          ledger.deposited(e.reference(), e.amount().amount());
          return ledger;
        })
        .onEvent(OrdersDebited.class, (ledger, e) -> {
          e.charges().forEach(c -> ledger.debited(c.orderId(), c.amount().amount(), c.skuId(), c.units(),
              c.accepted(), e.at()));
          return ledger;
        })
        .onEvent(OrderRefunded.class, (ledger, e) -> {
          ledger.refunded(e.orderId(), e.amount().amount(), e.at(), e.open());
          return ledger;
        })
        .onEvent(RefundClosed.class, (ledger, e) -> {
          ledger.refundClosed(e.orderId());
          return ledger;
        })
        .build();
  }
}
