package com.quanyi.node.channel;

import com.quanyi.protocol.channel.ChannelAccountProtocol.AcceptanceFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AcceptanceLookup;
import com.quanyi.protocol.channel.ChannelAccountProtocol.FindAcceptance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.LookInIndex;
import com.quanyi.protocol.channel.ChannelAccountProtocol.NoAcceptance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.node.projection.EventTags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.RecentOrders;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.EntityTestKit;
import com.quanyi.node.testkit.ManualClock;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelCredentials;
import com.quanyi.protocol.channel.ChannelDefinition;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetChannel;
import com.quanyi.protocol.channel.ChannelAccountProtocol.QuotaExceeded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RegisterChannel;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RefundCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.SetPrice;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountNotOpen;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountOpened;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountRefused;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountState;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountView;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Command;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debit;
import com.quanyi.node.channel.ChannelAccount.DebitGroup;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debited;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Deposit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DepositReceived;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Event;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetAccount;
import com.quanyi.protocol.channel.ChannelAccountProtocol.InsufficientBalance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OpenAccount;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderRefunded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RefundClosed;
import com.quanyi.protocol.channel.ChannelAccountProtocol.CloseRefund;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrdersDebited;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Refund;
import com.quanyi.protocol.channel.ChannelAccountProtocol.CancelReservation;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChargedOtherwise;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reservation;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ReservationRefused;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reserve;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reserved;
import com.quanyi.protocol.order.RefusalReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChannelAccountTest {

  private static final ActorTestKit testKit = EntityTestKit.create();
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  private EventSourcedBehaviorTestKit<Command, Event, AccountLedger> account;
  /** What the account asked the index to write, and the answers it waits for (the test gives them). */
  private final BlockingQueue<List<OrderAccepted>> indexWrites = new LinkedBlockingQueue<>();
  private final BlockingQueue<CompletableFuture<Void>> indexAnswers = new LinkedBlockingQueue<>();

  private CompletionStage<Void> index(List<OrderAccepted> acceptances) {
    CompletableFuture<Void> answer = new CompletableFuture<>();
    // The answer first: the test waits for the write, then takes its answer.
    indexAnswers.add(answer);
    indexWrites.add(acceptances);
    return answer;
  }

  @BeforeEach
  void fresh() {
    account = accountOn(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** The account (hold window 15 min) on this clock, its front a probe, its index this test's. */
  private EventSourcedBehaviorTestKit<Command, Event, AccountLedger> accountOn(Clock clock) {
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        ChannelAccount.create("ch-1", testKit.<Command>createTestProbe().getRef(), clock,
            new AccountSettings(16384, Duration.ofMinutes(15), 500, 1000, 4, Duration.ofSeconds(30)), this::index),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Money cny(long amount) {
    return Money.of(amount, "CNY");
  }

  private AccountView view() {
    return assertInstanceOf(AccountState.class, account.<AccountReply>runCommand(GetAccount::new).reply()).account();
  }

  private void opened(long deposit) {
    account.<AccountReply>runCommand(r -> new OpenAccount("CNY", "ops", r));
    if (deposit > 0) {
      account.<AccountReply>runCommand(r -> new Deposit("dep-0", cny(deposit), "fin", r));
    }
  }

  @Test
  void aClosedAccountTakesNothing() {
    CommandResultWithReply<Command, Event, AccountLedger, AccountReply> deposit =
        account.runCommand(r -> new Deposit("d", cny(100), "fin", r));
    assertInstanceOf(AccountNotOpen.class, deposit.reply());
    CommandResultWithReply<Command, Event, AccountLedger, DebitReply> debit =
        account.runCommand(r -> new Debit("o-1", cny(1), r));
    assertInstanceOf(AccountNotOpen.class, debit.reply());
    assertTrue(deposit.hasNoEvents() && debit.hasNoEvents());
  }

  @Test
  void depositsAreIdempotentByReference() {
    CommandResultWithReply<Command, Event, AccountLedger, AccountReply> open =
        account.runCommand(r -> new OpenAccount("CNY", "ops", r));
    assertEquals(new AccountOpened("CNY", "ops", NOW), open.event());
    CommandResultWithReply<Command, Event, AccountLedger, AccountReply> first =
        account.runCommand(r -> new Deposit("wire-7", cny(10_000), "fin-ann", r));
    assertEquals(new DepositReceived("wire-7", cny(10_000), "fin-ann", NOW), first.event());
    CommandResultWithReply<Command, Event, AccountLedger, AccountReply> again =
        account.runCommand(r -> new Deposit("wire-7", cny(10_000), "fin-ann", r));
    assertTrue(again.hasNoEvents());
    assertEquals(cny(10_000), assertInstanceOf(AccountState.class, again.reply()).account().balance());
    CommandResultWithReply<Command, Event, AccountLedger, AccountReply> other =
        account.runCommand(r -> new Deposit("wire-7", cny(5), "fin-ann", r));
    assertTrue(other.hasNoEvents());
    assertInstanceOf(AccountRefused.class, other.reply());
    assertInstanceOf(AccountRefused.class, account.<AccountReply>runCommand(r ->
        new Deposit("usd-1", Money.of(100, "USD"), "fin", r)).reply());
    assertInstanceOf(AccountRefused.class, account.<AccountReply>runCommand(r -> new Deposit("zero", cny(0), "fin", r)).reply());
  }

  @Test
  void debitsNeverTakeTheBalanceBelowZeroAndRepeatsChargeOnce() {
    opened(250);
    TestProbe<DebitReply> a = testKit.createTestProbe();
    TestProbe<DebitReply> b = testKit.createTestProbe();
    TestProbe<DebitReply> c = testKit.createTestProbe();
    TestProbe<DebitReply> d = testKit.createTestProbe();
    var group = account.runCommand(new DebitGroup(List.of(new Debit("o-a", cny(100), a.getRef()),
        new Debit("o-b", cny(100), b.getRef()), new Debit("o-c", cny(100), c.getRef()),
        new Debit("o-a", cny(100), d.getRef()))));
    assertEquals(List.of(new OrdersDebited(List.of(new OrderCharge("o-a", cny(100), null, 0), new OrderCharge("o-b", cny(100), null, 0)),
        NOW)), group.events());
    assertEquals(new Debited("o-a", cny(100), cny(50)), a.receiveMessage());
    assertEquals(new Debited("o-b", cny(100), cny(50)), b.receiveMessage());
    assertEquals(new InsufficientBalance(cny(50)), c.receiveMessage());
    assertEquals(new Debited("o-a", cny(100), cny(50), true), d.receiveMessage(), "a repeat knows it charged nothing");

    CommandResultWithReply<Command, Event, AccountLedger, DebitReply> retry =
        account.runCommand(r -> new Debit("o-b", cny(100), r));
    assertTrue(retry.hasNoEvents());
    assertInstanceOf(Debited.class, retry.reply());
    assertEquals(new AccountView(cny(50), cny(250), cny(200), cny(0)), view());
  }

  @Test
  void refundsGiveAChargeBackOnce() {
    opened(300);
    account.<DebitReply>runCommand(r -> new Debit("o-1", cny(120), r));
    CommandResultWithReply<Command, Event, AccountLedger, AccountReply> refund =
        account.runCommand(r -> new Refund("o-1", cny(120), r));
    assertEquals(new OrderRefunded("o-1", cny(120), NOW, true), refund.event());
    assertTrue(account.<AccountReply>runCommand(r -> new Refund("o-1", cny(120), r)).hasNoEvents());
    assertInstanceOf(AccountRefused.class, account.<AccountReply>runCommand(r -> new Refund("o-2x", Money.of(1, "USD"), r))
        .reply());
    account.<DebitReply>runCommand(r -> new Debit("o-2", cny(50), r));
    assertInstanceOf(AccountRefused.class, account.<AccountReply>runCommand(r -> new Refund("o-2", cny(51), r)).reply(),
        "never more than the charge");
    assertEquals(new AccountView(cny(250), cny(300), cny(170), cny(120)), view());
  }

  /** A bundle's failed part: its share under its own key, once; later the rest of the charge under the order's. */
  @Test
  void aPartsShareAndThenTheRestAreRefundedOnceEach() {
    opened(300);
    account.<DebitReply>runCommand(r -> new Debit("o-1", cny(100), r));
    assertEquals(new OrderRefunded("o-1/topup", cny(70), NOW, true),
        account.<AccountReply>runCommand(r -> new Refund("o-1/topup", cny(70), r)).event());
    assertTrue(account.<AccountReply>runCommand(r -> new Refund("o-1/topup", cny(70), r)).hasNoEvents(), "once");
    assertEquals(new OrderRefunded("o-1", cny(30), NOW, true),
        account.<AccountReply>runCommand(r -> new Refund("o-1", cny(30), r)).event());
    assertTrue(account.<AccountReply>runCommand(r -> new Refund("o-1", cny(30), r)).hasNoEvents(), "once");
    assertEquals(new AccountView(cny(300), cny(300), cny(100), cny(100)), view());
  }

  /**
   * The order's node dies between the account's refund and the order's write; the order asks again
   * an hour later, long after the account forgot the charge (15 min), and again after a restart:
   * one refund. Once the order says it wrote it, the account lets it go.
   */
  @Test
  void aRefundStaysOpenUntilItsOrderClosesItHoweverLate() {
    ManualClock clock = new ManualClock(NOW);
    account = accountOn(clock);
    opened(300);
    account.<DebitReply>runCommand(r -> new Debit("o-1", cny(120), r));
    clock.advance(Duration.ofMinutes(20));
    account.<DebitReply>runCommand(r -> new Debit("o-2", cny(10), r));
    assertEquals(new OrderRefunded("o-1", cny(120), clock.instant(), true),
        account.<AccountReply>runCommand(r -> new Refund("o-1", cny(120), r)).event());
    clock.advance(Duration.ofHours(1));
    account.<DebitReply>runCommand(r -> new Debit("o-3", cny(10), r));
    assertTrue(account.<AccountReply>runCommand(r -> new Refund("o-1", cny(120), r)).hasNoEvents());
    account.restart();
    CommandResultWithReply<Command, Event, AccountLedger, AccountReply> again =
        account.runCommand(r -> new Refund("o-1", cny(120), r));
    assertTrue(again.hasNoEvents());
    assertInstanceOf(AccountState.class, again.reply());
    assertInstanceOf(AccountRefused.class, account.<AccountReply>runCommand(r -> new Refund("o-1", cny(99), r)).reply());
    assertEquals(new AccountView(cny(280), cny(300), cny(140), cny(120)), view());

    assertEquals(new RefundClosed("o-1", clock.instant()), account.runCommand(new CloseRefund("o-1")).event());
    assertTrue(account.runCommand(new CloseRefund("o-1")).hasNoEvents());
  }

  @Test
  void everyEventIsRecovered() {
    opened(1000);
    account.<AccountReply>runCommand(r -> new Deposit("dep-1", cny(500), "fin", r));
    account.<DebitReply>runCommand(r -> new Debit("o-1", cny(300), r));
    account.<DebitReply>runCommand(r -> new Debit("o-2", cny(200), r));
    account.<AccountReply>runCommand(r -> new Refund("o-2", cny(200), r));
    AccountView before = view();
    account.restart();
    assertEquals(before, view());
    assertTrue(account.<DebitReply>runCommand(r -> new Debit("o-1", cny(300), r)).hasNoEvents(),
        "charges survive recovery, so retries stay idempotent");
    AccountView v = view();
    assertEquals(v.deposited().amount(), v.balance().amount() + v.debited().amount() - v.refunded().amount());
  }

  @Test
  void aSnapshotRestoresTheSameLedger() {
    AccountLedger ledger = new AccountLedger(Duration.ofMinutes(15), RecentOrders.A_DAY);
    ledger.open("CNY");
    ledger.deposited("d1", 500);
    ledger.debited("o1", 200, "sku-a", 2, null, NOW);
    ledger.refunded("o1", 200, NOW, true);
    ledger.debited("o2", 100, "sku-a", 1, acceptance("ch-1", "o2", 100), NOW);
    AccountLedger restored = AccountSnapshot.of(ledger).toLedger(Duration.ofMinutes(15), RecentOrders.A_DAY);
    assertEquals(ledger.view(), restored.view());
    assertEquals(AccountSnapshot.of(ledger), AccountSnapshot.of(restored));
    // As stored: through the journal's serializer (Jackson CBOR), order numbers and acceptances included.
    var serialization = org.apache.pekko.serialization.SerializationExtension.get(testKit.system());
    AccountSnapshot snapshot = AccountSnapshot.of(ledger);
    var serializer = serialization.findSerializerFor(snapshot);
    Object read = serialization.deserialize(serializer.toBinary(snapshot), serializer.identifier(),
        org.apache.pekko.serialization.Serializers.manifestFor(serializer, snapshot)).get();
    assertEquals(snapshot, read);
    assertTrue(((AccountSnapshot) read).toLedger(Duration.ofMinutes(15), RecentOrders.A_DAY).numberUsed("o2"));
  }

  private static OrderAccepted acceptance(String channelId, String clientOrderNo, long amount) {
    return new OrderAccepted(new OrderRequest(channelId, clientOrderNo, "sku-a", 1,
        new OrderRequest.Buyer("u-1", "198.51.100.4", null), null, null), List.of(new SlotRange("b-1", 0, 1)),
        cny(amount), NOW, OrderStatus.DELIVERED, null, cny(60));
  }

  /**
   * A charge that accepts its order: written in the debit event, tagged for the order's projections,
   * answered from memory until the index confirms it, then found in the index; after a restart the
   * acceptances replayed since the last snapshot are written again (the same rows). A charge without one has nothing to adopt.
   */
  @Test
  void anOrderAcceptedWithItsChargeIsFoundUntilIndexedAndWrittenAgainAfterARestart() throws Exception {
    opened(1000);
    OrderAccepted accepted = acceptance("ch-1", "A-1", 100);
    var debit = account.<DebitReply>runCommand(r -> new Debit("ch-1~A-1", cny(100), "sku-a", 1, 0, accepted, r));
    assertEquals(List.of(new OrderCharge("ch-1~A-1", cny(100), "sku-a", 1, accepted)),
        ((OrdersDebited) debit.event()).charges());
    assertEquals(List.of(accepted), indexWrites.poll(3, TimeUnit.SECONDS));
    assertEquals(new AcceptanceFound(accepted), account.<AcceptanceLookup>runCommand(
        r -> new FindAcceptance("ch-1~A-1", r)).reply(), "not indexed yet: answered from memory");

    account.<DebitReply>runCommand(r -> new Debit("ch-1~B-1", cny(50), "sku-a", 1, r));
    assertEquals(new NoAcceptance(), account.<AcceptanceLookup>runCommand(
        r -> new FindAcceptance("ch-1~B-1", r)).reply(), "charged without an acceptance");
    assertEquals(new LookInIndex(), account.<AcceptanceLookup>runCommand(
        r -> new FindAcceptance("ch-1~C-1", r)).reply(), "not remembered: the index knows");

    account.restart();
    assertEquals(List.of(accepted), indexWrites.poll(3, TimeUnit.SECONDS), "unconfirmed: written again");
    indexAnswers.poll(3, TimeUnit.SECONDS).complete(null);
    indexAnswers.poll(3, TimeUnit.SECONDS).complete(null);
    Await.until("the index's confirmation to reach the account (then the charge, remembered as an acceptance, "
        + "sends lookups to the index)", Duration.ofSeconds(3), () -> account.<AcceptanceLookup>runCommand(
            r -> new FindAcceptance("ch-1~A-1", r)).reply() instanceof LookInIndex);
    // That the index has it is not an event: replaying the debit makes it unconfirmed again, and the
    // same row is written once more.
    account.restart();
    assertEquals(List.of(accepted), indexWrites.poll(3, TimeUnit.SECONDS));
    AccountView v = view();
    assertEquals(cny(850), v.balance());

    // A group's acceptances are written as one event per order tag, each tagged with its own.
    List<TestProbe<DebitReply>> replies = new ArrayList<>();
    List<Debit> debits = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      OrderAccepted order = acceptance("ch-1", "G-" + i, 10);
      TestProbe<DebitReply> reply = testKit.createTestProbe();
      replies.add(reply);
      debits.add(new Debit(order.request().orderId(), cny(10), "sku-a", 1, 0, order, reply.getRef()));
    }
    var group = account.runCommand(new DebitGroup(debits));
    Set<String> tags = new HashSet<>();
    for (Event event : group.events()) {
      Set<String> own = new HashSet<>();
      ((OrdersDebited) event).charges().forEach(c -> own.add(EventTags.tagFor(EventTags.ORDER, c.orderId(), 4)));
      assertEquals(1, own.size(), "one order tag per event");
      assertTrue(tags.addAll(own), "one event per order tag");
    }
    assertEquals(12, group.events().stream().mapToInt(e -> ((OrdersDebited) e).charges().size()).sum());
    replies.forEach(r -> r.expectMessageClass(Debited.class));
  }

  /**
   * An order number charged earlier is known as used for a day, after the charge itself is
   * forgotten (the hold window, 15 min): a repeat then is sent to its order, nothing held for it.
   */
  @Test
  void aNumberChargedWithinADayIsKnownAfterItsChargeIsForgotten() {
    ManualClock clock = new ManualClock(NOW);
    account = accountOn(clock);
    shop(10_000, 100, null);
    account.<DebitReply>runCommand(r -> new Debit("ch-1~A-1", cny(100), "steam-100", 1, r));
    clock.advance(Duration.ofHours(3));
    account.<DebitReply>runCommand(r -> new Debit("ch-1~A-2", cny(100), "steam-100", 1, r));
    account.restart();
    assertEquals(new Reserved(cny(0), true), account.<Reservation>runCommand(
        r -> new Reserve("ch-1~A-1", "steam-100", 1, r)).reply());
    assertEquals(new Reserved(cny(100), false), account.<Reservation>runCommand(
        r -> new Reserve("ch-1~A-9", "steam-100", 1, r)).reply());
  }

  private void shop(long deposit, long price, Integer quota) {
    account.<ChannelReply>runCommand(r -> new RegisterChannel(new ChannelDefinition("ch-1", "Shop", null, 1, null, "CNY"),
        new ChannelCredentials("qk.ch-1.x", "mk-1", new byte[] {1}), "ops", r));
    account.<AccountReply>runCommand(r -> new Deposit("dep-0", cny(deposit), "fin", r));
    account.<ChannelReply>runCommand(r -> new SetPrice("steam-100", cny(price), quota, "ops", r));
  }

  private Reservation reserve(String orderId, int units) {
    CommandResultWithReply<Command, Event, AccountLedger, Reservation> reserved =
        account.runCommand(r -> new Reserve(orderId, "steam-100", units, r));
    assertTrue(reserved.hasNoEvents(), "a reservation is never persisted");
    return reserved.reply();
  }

  @Test
  void reservationsHoldMoneyAndQuotaAgainstOtherOrdersUntilTheirDebit() {
    shop(1_000, 400, 3);
    assertEquals(new Reserved(cny(800), false), reserve("o-1", 2));
    assertEquals(RefusalReason.INSUFFICIENT_BALANCE,
        assertInstanceOf(ReservationRefused.class, reserve("o-2", 1)).reason(), "o-1 holds 800 of 1,000");
    assertEquals(RefusalReason.LIMIT_EXCEEDED,
        assertInstanceOf(ReservationRefused.class, reserve("o-3", 2)).reason(), "o-1 holds 2 of the quota of 3");
    assertEquals(RefusalReason.SKU_UNAVAILABLE, assertInstanceOf(ReservationRefused.class,
        account.<Reservation>runCommand(r -> new Reserve("o-4", "not-priced", 1, r)).reply()).reason());

    account.runCommand(new CancelReservation("o-1"));
    assertEquals(new Reserved(cny(400), false), reserve("o-2", 1), "cancelled: o-1 holds nothing");
    // o-2's debit takes its own reservation's place, so it is not refused for what it held itself.
    assertInstanceOf(Debited.class, account.<DebitReply>runCommand(r -> new Debit("o-2", cny(400), "steam-100", 1, r))
        .reply());
    assertEquals(new Reserved(cny(400), true), reserve("o-2", 1), "a charged order reserves nothing again");
    assertEquals(new Reserved(cny(400), false), reserve("o-5", 1));
    assertInstanceOf(InsufficientBalance.class, account.<DebitReply>runCommand(r ->
        new Debit("o-6", cny(400), "steam-100", 1, r)).reply(), "600 left, 400 of it held by o-5");
  }

  @Test
  void aChargeRepeatedWithOtherContentIsRefusedAndALateOneChargesNothing() {
    shop(10_000, 100, null);
    assertInstanceOf(Debited.class, account.<DebitReply>runCommand(r -> new Debit("o-1", cny(100), "steam-100", 1, r))
        .reply());
    CommandResultWithReply<Command, Event, AccountLedger, DebitReply> other =
        account.runCommand(r -> new Debit("o-1", cny(200), "steam-100", 2, r));
    assertEquals(new ChargedOtherwise("o-1"), other.reply());
    assertTrue(other.hasNoEvents());
    CommandResultWithReply<Command, Event, AccountLedger, DebitReply> late = account.runCommand(r ->
        new Debit("o-2", cny(100), "steam-100", 1, NOW.toEpochMilli() - 1, r));
    assertInstanceOf(AccountRefused.class, late.reply());
    assertTrue(late.hasNoEvents());
    assertEquals(cny(9_900), view().balance());
  }

  @Test
  void aQuotaCapsTheUnitsBoughtAndARefundGivesThemBack() {
    account.<ChannelReply>runCommand(r -> new RegisterChannel(new ChannelDefinition("ch-1", "Shop", null, 1, null, "CNY"),
        new ChannelCredentials("qk.ch-1.x", "mk-1", new byte[] {1}), "ops", r));
    account.<AccountReply>runCommand(r -> new Deposit("dep-0", cny(10_000), "fin", r));
    account.<ChannelReply>runCommand(r -> new SetPrice("steam-100", cny(100), 3, "ops", r));
    TestProbe<DebitReply> a = testKit.createTestProbe();
    TestProbe<DebitReply> b = testKit.createTestProbe();
    TestProbe<DebitReply> c = testKit.createTestProbe();
    var group = account.runCommand(new DebitGroup(List.of(new Debit("o-a", cny(200), "steam-100", 2, a.getRef()),
        new Debit("o-b", cny(200), "steam-100", 2, b.getRef()), new Debit("o-c", cny(100), "steam-100", 1, c.getRef()))));
    assertEquals(1, group.events().size());
    assertInstanceOf(Debited.class, a.receiveMessage());
    assertEquals(new QuotaExceeded("steam-100", 3, 2), b.receiveMessage());
    assertInstanceOf(Debited.class, c.receiveMessage());
    var over = account.<DebitReply>runCommand(r -> new Debit("o-d", cny(100), "steam-100", 1, r));
    assertEquals(new QuotaExceeded("steam-100", 3, 3), over.reply());
    assertTrue(over.hasNoEvents());
    assertInstanceOf(Debited.class, account.<DebitReply>runCommand(r -> new Debit("o-e", cny(100), "other-sku", 1, r))
        .reply(), "a SKU without a quota is not limited");

    account.<AccountReply>runCommand(r -> RefundCharge.any("o-c", r));
    account.restart();
    assertInstanceOf(Debited.class, account.<DebitReply>runCommand(r -> new Debit("o-f", cny(100), "steam-100", 1, r))
        .reply(), "the refunded unit is back in the quota, also after recovery");
    ChannelFound found = assertInstanceOf(ChannelFound.class, account.<ChannelReply>runCommand(GetChannel::new).reply());
    assertEquals(3L, found.channel().unitsBought().get("steam-100"));
    assertTrue(!found.channel().withinQuota("steam-100", 1) && found.channel().withinQuota("other-sku", 100));
  }
  @Test
  void anOrderGivingBackUnitsItNeverAcceptedRefundsOnlyACharge() {
    ManualClock clock = new ManualClock(NOW);
    account = accountOn(clock);
    account.<ChannelReply>runCommand(r -> new RegisterChannel(new ChannelDefinition("ch-1", "Shop", null, 1, null, "CNY"),
        new ChannelCredentials("qk.ch-1.x", "mk-1", new byte[] {1}), "ops", r));
    account.<AccountReply>runCommand(r -> new Deposit("dep-0", cny(10_000), "fin", r));
    account.<ChannelReply>runCommand(r -> new SetPrice("steam-100", cny(100), null, "ops", r));
    Instant decided = clock.instant();
    clock.advance(Duration.ofMillis(100));
    assertInstanceOf(Debited.class, account.<DebitReply>runCommand(r -> new Debit("o-1", cny(100), "steam-100", 1, r))
        .reply(), "a placement started afresh after the order decided to give its units back");

    var late = account.<AccountReply>runCommand(r -> new RefundCharge("o-1", decided, r));
    assertTrue(late.hasNoEvents(), "the charge came after the decision: it is the new placement's");
    var before = account.<AccountReply>runCommand(r -> new RefundCharge("o-1", clock.instant().plusMillis(1), r));
    assertInstanceOf(OrderRefunded.class, before.event(), "a charge from before the decision is refunded");
  }
}
