package com.quanyi.node.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AcceptanceFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AcceptanceLookup;
import com.quanyi.protocol.channel.ChannelAccountProtocol.FindAcceptance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.LookInIndex;
import com.quanyi.protocol.channel.ChannelAccountProtocol.NoAcceptance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RefundCharge;
import com.quanyi.protocol.order.OrderProcessProtocol.Reconcile;
import com.quanyi.protocol.order.OrderProcessProtocol;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.ConfirmAllocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.HandedOutAgain;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Release;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Released;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol.Accept;
import com.quanyi.protocol.order.OrderProcessProtocol.AlreadyRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.CodeRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.CodesRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.NotRedeemable;
import com.quanyi.protocol.order.OrderProcessProtocol.NotRedeemableReason;
import com.quanyi.protocol.order.OrderProcessProtocol.Redeem;
import com.quanyi.protocol.order.OrderProcessProtocol.RedeemAnswer;
import com.quanyi.protocol.order.OrderProcessProtocol.Redeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.Command;
import com.quanyi.protocol.order.OrderProcessProtocol.ContentMismatch;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.FlowOutcome;
import com.quanyi.protocol.order.OrderProcessProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderProcessProtocol.OperatorAnswer;
import com.quanyi.protocol.order.OrderProcessProtocol.NotRefundable;
import com.quanyi.protocol.order.OrderProcessProtocol.RefundDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderFound;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderLookup;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderNotFound;
import com.quanyi.protocol.order.OrderProcessProtocol.Placed;
import com.quanyi.protocol.order.OrderProcessProtocol.Placement;
import com.quanyi.protocol.order.OrderProcessProtocol.Refused;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.order.RefusalReason;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order entity writing a card-code order placed outside it ({@link Accept}): once, with what its
 * units cost, then confirming them to the inventory; repeats answered from its state; nothing written
 * once a placement ran out of time. On the in-memory journal, every command, event and reply through
 * Jackson; sharding runs on a one-node cluster so that the inventory it tells is a probe.
 */
class OrderProcessTest {

  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  private static final String ORDER_ID = "ch-1~A-1";

  private static ActorTestKit testKit;
  private static TestProbe<SkuInventoryProtocol.Command> inventory;
  /** The refunds the channel's account is asked for. */
  private static TestProbe<RefundCharge> refunds;

  private EventSourcedBehaviorTestKit<Command, Event, OrderStage.State> order;

  @BeforeAll
  static void cluster() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
        .withFallback(ConfigFactory.parseResources("quanyi/serialization.conf"))
        .withFallback(ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.port = 0
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            """))
        .resolve());
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    inventory = testKit.createTestProbe();
    refunds = testKit.createTestProbe();
    ClusterSharding.get(testKit.system()).init(Entity.of(SkuInventoryProtocol.TYPE_KEY, ctx ->
        Behaviors.receiveMessage(message -> {
          inventory.getRef().tell(message);
          return Behaviors.same();
        })));
    // The channel account answers what the test says it knows of the order's acceptance.
    ClusterSharding.get(testKit.system()).init(Entity.of(ChannelAccountProtocol.TYPE_KEY, ctx ->
        Behaviors.receiveMessage(message -> {
          if (message instanceof FindAcceptance find) {
            find.replyTo().tell(accountKnows);
          }
          if (message instanceof RefundCharge refund) {
            refunds.getRef().tell(refund);
          }
          return Behaviors.same();
        })));
  }

  /** What the channel account answers about this order's acceptance; what the index holds. */
  private static volatile AcceptanceLookup accountKnows;
  private static final Map<String, OrderAccepted> indexed = new java.util.concurrent.ConcurrentHashMap<>();

  /** The index as the entity writes it: what a written card-code order puts there. */
  private static CompletableFuture<Void> written(List<OrderAccepted> acceptances) {
    acceptances.forEach(a -> indexed.put(a.request().orderId(), a));
    return CompletableFuture.completedFuture(null);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    accountKnows = new NoAcceptance();
    indexed.clear();
    order = EventSourcedBehaviorTestKit.create(testKit.system(),
        OrderProcess.create(ORDER_ID, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(3), RiskStep.allowAll(), 4,
            id -> CompletableFuture.completedFuture(Optional.ofNullable(indexed.get(id))), OrderProcessTest::written),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  private static OrderRequest request(int quantity) {
    return new OrderRequest("ch-1", "A-1", "steam-100", quantity, new OrderRequest.Buyer("u-1", "198.51.100.4", null),
        null, null);
  }

  private static FlowOutcome delivered(List<SlotRange> slots) {
    return new FlowOutcome(slots, Money.of(200, "CNY"), null, null, OrderStatus.DELIVERED, null, Money.of(120, "CNY"));
  }

  private CommandResultWithReply<Command, Event, OrderStage.State, Placement> accept(OrderRequest request,
      FlowOutcome outcome, long notAfter) {
    return order.runCommand(r -> new Accept(request, outcome, notAfter, r));
  }

  private static OrderAccepted acceptedByAccount(List<SlotRange> slots) {
    return new OrderAccepted(request(2), slots, Money.of(200, "CNY"), NOW.minusSeconds(30), OrderStatus.DELIVERED,
        null, Money.of(120, "CNY"));
  }

  /**
   * An order its account accepted with the charge: the first request to its entity finds the
   * acceptance (from the account's memory, or from the index once the account sent it there), writes
   * it as adopted, and answers from it; reconciling it confirms its units instead of giving them back.
   */
  @Test
  void anOrderAcceptedByItsAccountIsAdoptedOnItsFirstRequest() {
    List<SlotRange> slots = List.of(new SlotRange("b-1", 40, 2));
    OrderAccepted accepted = acceptedByAccount(slots);
    accountKnows = new AcceptanceFound(accepted);
    CommandResultWithReply<Command, Event, OrderStage.State, OrderLookup> found = order.runCommand(GetOrder::new);
    assertEquals(accepted.adoptedByOrder(), found.event());
    assertEquals(OrderView.of(accepted), assertInstanceOf(OrderFound.class, found.reply()).order());
    order.runCommand(new Reconcile("steam-100", 7));
    assertEquals(new ConfirmAllocation(ORDER_ID), inventory.expectMessageClass(ConfirmAllocation.class));

    fresh();
    accountKnows = new LookInIndex();
    indexed.put(ORDER_ID, accepted);
    var repeat = accept(request(2), delivered(slots), NOW.plusSeconds(5).toEpochMilli());
    assertEquals(accepted.adoptedByOrder(), repeat.event(), "the acceptance, not a second one");
    Placed placed = assertInstanceOf(Placed.class, repeat.reply());
    assertTrue(!placed.created());

    fresh();
    accountKnows = new LookInIndex();
    assertInstanceOf(OrderNotFound.class, order.<OrderLookup>runCommand(GetOrder::new).reply());
    assertTrue(order.<OrderLookup>runCommand(GetOrder::new).hasNoEvents());
  }

  @Test
  void anAcceptedOrderIsWrittenOnceAndItsUnitsConfirmed() {
    List<SlotRange> slots = List.of(new SlotRange("b-1", 40, 2));
    var accepted = accept(request(2), delivered(slots), NOW.plusSeconds(5).toEpochMilli());

    OrderAccepted event = assertInstanceOf(OrderAccepted.class, accepted.event());
    assertEquals(event, indexed.get(ORDER_ID), "a card-code order written here is in the acceptance index too");
    assertEquals(slots, event.slots());
    assertEquals(OrderStatus.DELIVERED, event.status());
    assertEquals(Money.of(120, "CNY"), event.cost());
    Placed placed = assertInstanceOf(Placed.class, accepted.reply());
    assertTrue(placed.created());
    assertEquals(slots, placed.order().slots());
    assertEquals(new ConfirmAllocation(ORDER_ID), inventory.expectMessageClass(ConfirmAllocation.class));
    assertInstanceOf(OrderStage.Delivered.class, order.getState());

    var repeat = accept(request(2), delivered(slots), NOW.plusSeconds(5).toEpochMilli());
    assertTrue(repeat.hasNoEvents());
    Placed again = assertInstanceOf(Placed.class, repeat.reply());
    assertTrue(!again.created() && again.order().equals(placed.order()), "a repeat gets the order as written");
    var other = accept(request(3), delivered(slots), NOW.plusSeconds(5).toEpochMilli());
    assertTrue(other.hasNoEvents());
    assertInstanceOf(ContentMismatch.class, other.reply());

    order.restart();
    assertEquals(placed.order(), assertInstanceOf(OrderFound.class,
        order.<OrderLookup>runCommand(GetOrder::new).reply()).order(), "recovered from its one event");
  }

  /**
   * Redemption in the order: a code once in full or in parts down to zero (a dry run writes
   * nothing), a position the order was not given refused, and a refund refused once a code was used;
   * all of it recovered from the journal.
   */
  @Test
  void aCodeIsRedeemedOnceOrInPartsAndARedeemedOrderIsNotRefunded() {
    List<SlotRange> slots = List.of(new SlotRange("b-1", 40, 2));
    accept(request(2), delivered(slots), NOW.plusSeconds(5).toEpochMilli());
    inventory.expectMessageClass(ConfirmAllocation.class);
    Money face = Money.of(1000, "CNY");

    var dry = order.<RedeemAnswer>runCommand(r -> new Redeem("b-1", 41, "v-1", null, null, face, true, "steam-100", NOW, r));
    assertTrue(dry.hasNoEvents());
    assertEquals(face, assertInstanceOf(Redeemed.class, dry.reply()).remaining());

    var part = order.<RedeemAnswer>runCommand(r -> new Redeem("b-1", 41, "v-1", "till 3", 400L, face, false, "steam-100", NOW, r));
    CodeRedeemed used = assertInstanceOf(CodeRedeemed.class, part.event());
    assertEquals(Money.of(400, "CNY"), used.amount());
    assertEquals(Money.of(600, "CNY"), assertInstanceOf(Redeemed.class, part.reply()).remaining());
    assertEquals("ch-1", assertInstanceOf(Redeemed.class, part.reply()).channelId());

    var tooMuch = order.<RedeemAnswer>runCommand(r -> new Redeem("b-1", 41, "v-2", null, 601L, face, false, "steam-100", NOW, r));
    assertTrue(tooMuch.hasNoEvents());
    assertEquals(NotRedeemableReason.AMOUNT_TOO_LARGE, assertInstanceOf(NotRedeemable.class, tooMuch.reply()).reason());
    var rest = order.<RedeemAnswer>runCommand(r -> new Redeem("b-1", 41, "v-2", "till 9", null, face, false, "steam-100", NOW, r));
    assertEquals(Money.of(0, "CNY"), assertInstanceOf(Redeemed.class, rest.reply()).remaining());
    var again = order.<RedeemAnswer>runCommand(r -> new Redeem("b-1", 41, "v-3", null, null, face, false, "steam-100", NOW, r));
    assertTrue(again.hasNoEvents());
    AlreadyRedeemed already = assertInstanceOf(AlreadyRedeemed.class, again.reply());
    assertEquals("till 9", already.place());
    assertEquals("v-2", already.verifierId());

    var notOurs = order.<RedeemAnswer>runCommand(r -> new Redeem("b-1", 42, "v-1", null, null, face, false, "steam-100", NOW, r));
    assertEquals(NotRedeemableReason.NEVER_DELIVERED, assertInstanceOf(NotRedeemable.class, notOurs.reply()).reason());

    order.restart();
    var refund = order.<OperatorAnswer>runCommand(r -> new RefundDelivered("complaint", "ops", r));
    assertTrue(refund.hasNoEvents());
    CodesRedeemed refused = assertInstanceOf(CodesRedeemed.class, refund.reply());
    assertEquals(1, refused.redeemed());
    assertEquals(NOW, refused.firstAt());
    refunds.expectNoMessage(Duration.ofMillis(200));
    assertInstanceOf(AlreadyRedeemed.class,
        order.<RedeemAnswer>runCommand(r -> new Redeem("b-1", 41, "v-3", null, null, face, false, "steam-100", NOW, r)).reply(),
        "its uses recovered from the journal");
  }

  @Test
  void aPlacementThatRanOutOfTimeWritesNothing() {
    var late = accept(request(1), delivered(List.of(new SlotRange("b-1", 7, 1))), NOW.minusMillis(1).toEpochMilli());
    assertTrue(late.hasNoEvents());
    assertEquals(RefusalReason.UNAVAILABLE, assertInstanceOf(Refused.class, late.reply()).reason());
    assertInstanceOf(OrderNotFound.class, order.<OrderLookup>runCommand(GetOrder::new).reply());
    inventory.expectNoMessage(Duration.ofMillis(200));
  }

  /**
   * An order never written whose units an inventory reconciles: the release names the inventory's
   * hand-out, and only units actually released have their charge refunded. Kept by the inventory
   * (a repeat of the order was given them since, and may be about to write the order on them), its
   * charge is that repeat's.
   */
  @Test
  void reconcilingAnUnwrittenOrderRefundsOnlyWhatTheInventoryReleased() {
    order.runCommand(new Reconcile("steam-100", 7));
    Release kept = inventory.expectMessageClass(Release.class);
    assertEquals(7L, kept.handOut());
    kept.replyTo().tell(new HandedOutAgain(ORDER_ID));
    refunds.expectNoMessage(Duration.ofMillis(300));

    order.runCommand(new Reconcile("steam-100", 8));
    Release released = inventory.expectMessageClass(Release.class);
    assertEquals(8L, released.handOut());
    released.replyTo().tell(new Released(ORDER_ID, 2));
    RefundCharge refund = refunds.expectMessageClass(RefundCharge.class);
    assertEquals(ORDER_ID, refund.orderId());
    assertEquals(NOW, refund.chargedBefore(), "only a charge from before it decided");
  }

  @Test
  void anOrderHeldForReviewKeepsNoUnits() {
    List<SlotRange> slots = List.of(new SlotRange("b-1", 9, 1));
    FlowOutcome held = new FlowOutcome(slots, Money.of(100, "CNY"), null, null, OrderStatus.REVIEW,
        "held by risk control: BIG_SPENDER", Money.of(60, "CNY"));
    var accepted = accept(request(1), held, NOW.plusSeconds(5).toEpochMilli());

    OrderAccepted event = assertInstanceOf(OrderAccepted.class, accepted.event());
    assertEquals(List.of(), event.slots(), "held: its units go back until an operator approves");
    assertEquals(OrderStatus.REVIEW, event.status());
    assertEquals(ORDER_ID, inventory.expectMessageClass(Release.class).orderId());
    assertInstanceOf(OrderStage.Held.class, order.getState());
    // Only a delivered order takes a refund: held, it says so at once and writes nothing.
    var refund = order.<OperatorAnswer>runCommand(r -> new RefundDelivered("duplicate", "ops", r));
    assertTrue(refund.hasNoEvents());
    assertInstanceOf(NotRefundable.class, refund.reply());
  }

  /** A written order's stage is a function of its status (and, for PROCESSING, whether a supplier left it undecided). */
  @Test
  void eachStatusIsAStage() {
    OrderRequest request = request(1);
    Map<OrderStatus, Class<?>> stages = Map.of(OrderStatus.DELIVERED, OrderStage.Delivered.class,
        OrderStatus.REVIEW, OrderStage.Held.class, OrderStatus.PROCESSING, OrderStage.ToppingUp.class,
        OrderStatus.FAILED, OrderStage.Ended.class, OrderStatus.REFUNDED, OrderStage.Ended.class);
    stages.forEach((status, stage) -> assertInstanceOf(stage, OrderStage.Accepted.of(facts(request, status, null))));
    assertInstanceOf(OrderStage.Undecided.class,
        OrderStage.Accepted.of(facts(request, OrderStatus.PROCESSING, "supplier s-1 did not say")));
  }

  private static OrderStage.Facts facts(OrderRequest request, OrderStatus status, String review) {
    return new OrderStage.Facts(new OrderView(request.orderId(), request.channelId(), request.clientOrderNo(),
        request.skuId(), request.quantity(), status, Money.of(100, "CNY"), List.of(), NOW, review, null, null, null, null),
        request.contentHash(), request, List.of(), List.of());
  }

  /**
   * Requests that waited for a lookup that found nothing, and then behind a placement, are looked
   * up again: meanwhile the account may have accepted the order (a placement of the same number
   * outside the entity), and a left-over "not accepted" would answer "no such order" for it.
   */
  @Test
  void aRequestThatWaitedBehindAPlacementIsLookedUpAgain() {
    String orderId = "ch-1~L-9";
    var entity = testKit.spawn(OrderProcess.create(orderId, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(1),
        RiskStep.allowAll(), 4, id -> CompletableFuture.completedFuture(Optional.empty()), OrderProcessTest::written));
    TestProbe<Placement> placed = testKit.createTestProbe();
    TestProbe<OrderLookup> found = testKit.createTestProbe();
    OrderRequest request = new OrderRequest("ch-1", "L-9", "steam-100", 2, new OrderRequest.Buyer("u-1", "198.51.100.4",
        null), null, null);
    // The placement's own steps find no channel (the account here answers nothing else): refused after 1 s.
    entity.tell(new OrderProcessProtocol.Place(request, placed.getRef()));
    entity.tell(new GetOrder(found.getRef()));
    found.expectNoMessage(Duration.ofMillis(300));
    OrderAccepted accepted = new OrderAccepted(request, List.of(new SlotRange("b-1", 0, 2)), Money.of(200, "CNY"),
        NOW, OrderStatus.DELIVERED, null, Money.of(120, "CNY"));
    accountKnows = new AcceptanceFound(accepted);
    placed.expectMessageClass(Refused.class, Duration.ofSeconds(5));
    assertEquals(OrderView.of(accepted), found.expectMessageClass(OrderFound.class, Duration.ofSeconds(5)).order());
  }
}
