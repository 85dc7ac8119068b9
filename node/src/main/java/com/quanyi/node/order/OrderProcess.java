package com.quanyi.node.order;

import com.quanyi.node.order.OrderStage.Accepted;
import com.quanyi.node.order.OrderStage.Delivered;
import com.quanyi.node.order.OrderStage.Ended;
import com.quanyi.node.order.OrderStage.Facts;
import com.quanyi.node.order.OrderStage.Held;
import com.quanyi.node.order.OrderStage.NotPlaced;
import com.quanyi.node.order.OrderStage.State;
import com.quanyi.node.order.OrderStage.ToppingUp;
import com.quanyi.node.order.OrderStage.Undecided;
import static com.quanyi.protocol.order.OrderProcessProtocol.TYPE_KEY;

import com.quanyi.node.Replies;
import com.quanyi.node.projection.EventTags;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelPrice;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debited;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetChannel;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelView;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RefundCharge;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.ConfirmAllocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.AllocationOverloaded;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BuyerLimitReached;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.HandedOutAgain;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Release;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Releasing;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.RefundUnplacedTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.Accept;
import com.quanyi.protocol.order.OrderProcessProtocol.DecideReview;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewRejected;
import com.quanyi.protocol.risk.RiskVerdict.Decision;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AcceptanceFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AcceptanceLookup;
import com.quanyi.protocol.channel.ChannelAccountProtocol.FindAcceptance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.LookInIndex;
import java.util.function.Function;
import java.util.function.Supplier;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.AlreadyRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.CodeRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.CodesRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.NotRedeemable;
import com.quanyi.protocol.order.OrderProcessProtocol.NotRedeemableReason;
import com.quanyi.protocol.order.OrderProcessProtocol.Redeem;
import com.quanyi.protocol.order.OrderProcessProtocol.Redeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.NotRefundable;
import com.quanyi.protocol.order.OrderProcessProtocol.RefundDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.EndDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.EndFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPartRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.EndUndecided;
import com.quanyi.protocol.order.OrderProcessProtocol.FinishTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.GetTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.RecordAttempt;
import com.quanyi.protocol.order.OrderProcessProtocol.Recorded;
import com.quanyi.protocol.order.OrderProcessProtocol.SupplierAttempted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupEnd;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupNotAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupOver;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPending;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupState;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupUndecided;
import com.quanyi.protocol.order.OrderProcessProtocol.NotAwaitingReview;
import com.quanyi.protocol.order.OrderProcessProtocol.Resolve;
import com.quanyi.protocol.order.OrderProcessProtocol.Applied;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
import com.quanyi.protocol.order.OrderProcessProtocol.Command;
import com.quanyi.protocol.order.OrderProcessProtocol.Reconcile;
import com.quanyi.protocol.order.OrderProcessProtocol.ContentMismatch;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.FlowOutcome;
import com.quanyi.protocol.order.OrderProcessProtocol.PartSlots;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.order.OrderProcessProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderFound;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderNotFound;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderProcessProtocol.Place;
import com.quanyi.protocol.order.OrderProcessProtocol.Placed;
import com.quanyi.protocol.order.OrderProcessProtocol.Placement;
import com.quanyi.protocol.order.OrderProcessProtocol.Refused;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.RefusalReason;
import com.quanyi.protocol.order.OrderStatus;
import java.util.concurrent.Executor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One order of one channel (entity id: channel and client order number). A card-code order
 * delivered at once is accepted by its charge, in the account's grouped write ({@link CardOrderFlow}),
 * without this entity: the first request that reaches the entity afterwards finds the acceptance
 * (its account, or the index) and writes it here as adopted. An order held for review is written
 * here ({@code Accept}); a card-code order cut off after its charge is placed here ({@code Place}:
 * price, allocation, charge, then one write; a refused order writes nothing). A top-up order is
 * charged and written PROCESSING; its {@link TopupProcess} then walks the
 * suppliers and this entity records each attempt and the end (docs/orders.md). While the steps
 * run, repeats of the same order wait (stashed) and then see its outcome. Its lifecycle is the
 * stage types of {@link OrderStage}; what it waits for meanwhile, {@link InFlight}.
 */
public final class OrderProcess extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, State> {

  /**
   * What the order's account and the index said about an acceptance of this order
   * ({@code accepted} null: none; {@code failed}: no answer, nothing can be decided now).
   */
  record LookedUp(OrderAccepted accepted, boolean failed) implements OrderProcessProtocol.Internal {}

  /** Releasing an order never placed finished. */
  record UnplacedReleased() implements OrderProcessProtocol.Internal {}

  /** The steps of a placement (price, allocation, debit) finished. */
  record StepsDone(FlowOutcome outcome) implements OrderProcessProtocol.Internal {}

  /** What an approval's allocation came to. */
  record ApprovalAllocated(ReviewApproval approval) implements OrderProcessProtocol.Internal {}

  /** The account answered a refund of this order's charge ({@code done}) or did not. */
  record ChargeRefunded(boolean done) implements OrderProcessProtocol.Internal {}

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrderProcess.class);

  private final String orderId;
  private final ActorContext<Command> ctx;
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final Clock clock;
  private final Duration askTimeout;
  private final RiskStep risk;
  private final int tags;
  /** Reads an acceptance from the index ({@link AcceptanceIndex#find}). */
  private final Function<String, CompletionStage<Optional<OrderAccepted>>> index;
  /** Writes acceptances to the index ({@link AcceptanceIndex#write}). */
  private final Function<List<OrderAccepted>, CompletionStage<Void>> indexWriter;
  /** What this order waits for; null when it waits for nothing. */
  private InFlight inFlight;
  private final BundleTopups bundleTopups;
  private final BundleParts bundleParts;
  /** Commands that waited for a lookup that found no acceptance: they need no lookup of their own. */
  private int lookedUpFor;
  /** Commands stashed while the current lookup runs. */
  private int waitingForLookup;

  private OrderProcess(ActorContext<Command> ctx, String orderId, Clock clock, Duration askTimeout, RiskStep risk,
      int tags, Function<String, CompletionStage<Optional<OrderAccepted>>> index,
      Function<List<OrderAccepted>, CompletionStage<Void>> indexWriter) {
    super(PersistenceId.of(TYPE_KEY.name(), orderId));
    this.orderId = orderId;
    this.ctx = ctx;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.dispatcher = Replies.dispatcher(ctx.getSystem());
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.risk = risk;
    this.tags = tags;
    this.index = index;
    this.indexWriter = indexWriter;
    this.bundleTopups = new BundleTopups(sharding, dispatcher, askTimeout);
    this.bundleParts = new BundleParts(sharding, dispatcher, () -> askTimeout);
  }

  /** @param tags how many tags order events spread over ({@code quanyi.projections.tags}) */
  public static void init(ActorSystem<?> system, Duration askTimeout, RiskStep risk, int tags,
      AcceptanceIndex acceptances) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(), Clock.systemUTC(),
        askTimeout, risk, tags, acceptances::find, acceptances::write)));
  }

  public static Behavior<Command> create(String orderId, Clock clock, Duration askTimeout, RiskStep risk, int tags,
      Function<String, CompletionStage<Optional<OrderAccepted>>> index,
      Function<List<OrderAccepted>, CompletionStage<Void>> indexWriter) {
    return Behaviors.setup(ctx -> new OrderProcess(ctx, orderId, clock, askTimeout, risk, tags, index, indexWriter));
  }

  @Override
  public State emptyState() {
    return new NotPlaced();
  }

  /**
   * Every event carries a tag (orders spread over {@code tags} of them), so that the projections
   * read them: callbacks (status changes only) and reporting (supplier attempts too).
   */
  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(EventTags.tagFor(EventTags.ORDER, orderId, tags));
  }

  /** An order has one or two events and never a snapshot: starting one skips the snapshot read. */
  @Override
  public Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    // Nothing in the journal: every request first learns whether the account accepted the order.
    builder.forStateType(NotPlaced.class)
        .onCommand(Place.class, (state, cmd) -> lookedUp(() -> place(state, cmd)))
        .onCommand(Accept.class, (state, cmd) -> lookedUp(() -> accept(state, cmd)))
        .onCommand(GetOrder.class, (state, cmd) -> lookedUp(() -> busy()
            ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new OrderNotFound())))
        .onCommand(LookedUp.class, this::adopt)
        .onCommand(StepsDone.class, this::stepsDone)
        .onCommand(Reconcile.class, (state, cmd) -> lookedUp(() -> releaseUnplaced(state, cmd)))
        .onCommand(UnplacedReleased.class, (state, cmd) -> {
          inFlight = null;
          return Effect().noReply().thenUnstashAll();
        })
        .onCommand(GetTopup.class, (state, cmd) -> lookedUp(() -> busy()
            ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new TopupNotAccepted())))
        .onCommand(RefundUnplacedTopup.class, (state, cmd) -> lookedUp(() -> refundUnplacedTopup(state, cmd)))
        .onCommand(RecordAttempt.class, (state, cmd) -> Effect().noReply())
        .onCommand(FinishTopup.class, (state, cmd) -> Effect().noReply())
        .onCommand(Resolve.class, (state, cmd) -> lookedUp(() -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new NotAwaitingReview(null))))
        .onCommand(DecideReview.class, (state, cmd) -> lookedUp(() -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new NotAwaitingReview(null))))
        .onCommand(RefundDelivered.class, (state, cmd) -> lookedUp(() -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new NotRefundable(null))))
        .onCommand(Redeem.class, (state, cmd) -> lookedUp(() -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new NotRedeemable(NotRedeemableReason.NEVER_DELIVERED,
                "the code was never delivered"))))
        .onCommand(ApprovalAllocated.class, (state, cmd) -> Effect().noReply())
        .onCommand(ChargeRefunded.class, (state, cmd) -> {
          if (inFlight instanceof InFlight.RefundingTopup reversing && cmd.done()) {
            reversing.command().replyTo().tell(new Recorded());
          }
          inFlight = null;
          return Effect().noReply().thenUnstashAll();
        });
    // What only one stage does; every other command falls through to the builder for all stages.
    builder.forStateType(ToppingUp.class)
        .onCommand(RecordAttempt.class, this::recordAttempt)
        .onCommand(FinishTopup.class, this::finishTopup)
        .onCommand(DecideReview.class, this::approveAgain);
    builder.forStateType(Undecided.class)
        .onCommand(Resolve.class, this::resolve);
    builder.forStateType(Held.class)
        .onCommand(DecideReview.class, this::decideReview)
        .onCommand(ApprovalAllocated.class, this::approvalAllocated);
    builder.forStateType(Delivered.class)
        .onCommand(RefundDelivered.class, this::refundDelivered)
        .onCommand(Redeem.class, this::redeem);
    builder.forStateType(Accepted.class)
        .onCommand(Place.class, (state, cmd) -> Effect().reply(cmd.replyTo(), repeated(state, cmd.request())))
        .onCommand(Accept.class, (state, cmd) -> Effect().reply(cmd.replyTo(), repeated(state, cmd.request())))
        .onCommand(GetOrder.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new OrderFound(state.order())))
        .onCommand(StepsDone.class, (state, cmd) -> Effect().noReply())
        .onCommand(Reconcile.class, (state, cmd) -> {
          if (state.order().slots().isEmpty()) {
            // Held by risk control (or rejected): units the asking inventory still holds for it go
            // back, unless an approval allocated them since under the same order id.
            release(cmd.skuId(), cmd.handOut());
          } else {
            confirm(state.order());
          }
          return Effect().noReply();
        })
        .onCommand(UnplacedReleased.class, (state, cmd) -> Effect().noReply())
        .onCommand(LookedUp.class, (state, cmd) -> Effect().noReply())
        .onCommand(GetTopup.class, (state, cmd) -> Effect().reply(cmd.replyTo(), topupState(state)))
        .onCommand(RefundUnplacedTopup.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Recorded()))
        .onCommand(ChargeRefunded.class, this::chargeRefunded)
        .onCommand(ApprovalAllocated.class, (state, cmd) -> Effect().noReply())
        .onCommand(RecordAttempt.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Recorded()))
        .onCommand(FinishTopup.class, (state, cmd) -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new Recorded()))
        .onCommand(Resolve.class, (state, cmd) -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new NotAwaitingReview(state.order())))
        .onCommand(DecideReview.class, (state, cmd) -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new NotAwaitingReview(state.order())))
        .onCommand(RefundDelivered.class, (state, cmd) -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), state instanceof Ended && state.order().status() == OrderStatus.REFUNDED
                ? new Applied(state.order()) : new NotRefundable(state.order())))
        .onCommand(Redeem.class, (state, cmd) -> busy() ? Effect().stash()
            : Effect().reply(cmd.replyTo(), notRedeemable(state.order())));
    return builder.build();
  }

  // ---- top-ups: the order keeps the facts, its TopupProcess drives the suppliers

  /**
   * Pending: the next SKU to top up (a bundle's top-up parts one after another). Over (or waiting
   * for an operator): the last top-up's SKU, whose doubtful suppliers are asked again.
   */
  private static TopupState topupState(Accepted state) {
    OrderView order = state.order();
    if (state instanceof ToppingUp) {
      String next = order.nextTopup().orElseThrow();
      return new TopupPending(state.request(), state.facts().attempted(), next, order.topupKey(next));
    }
    String last = order.partEnds().isEmpty() ? order.nextTopup().orElse(order.topups().get(0))
        : order.partEnds().get(order.partEnds().size() - 1).skuId();
    return new TopupOver(order.status(), state.request(), state.facts().doubtful(), last, order.topupKey(last));
  }

  /**
   * What the order is once its current top-up is done: PROCESSING while a bundle has more top-up
   * parts to come; PARTLY_DELIVERED when an earlier part's share was refunded; else DELIVERED.
   */
  private static OrderStatus afterTopup(OrderView order, String part) {
    return order.topupAfter(part) ? OrderStatus.PROCESSING
        : order.refunded() != null ? OrderStatus.PARTLY_DELIVERED : OrderStatus.DELIVERED;
  }

  /** The driver tops the next part up (started again after an operator settled the one before). */
  private void nextPartDriven() {
    Replies.on(dispatcher, sharding.entityRefFor(TopupProcess.TYPE_KEY, orderId)
        .<TopupProcess.Started>ask(TopupProcess.Start::new, askTimeout));
  }

  private ReplyEffect<Event, State> recordAttempt(ToppingUp state, RecordAttempt cmd) {
    List<String> attempted = state.facts().attempted();
    if (!attempted.isEmpty() && attempted.get(attempted.size() - 1).equals(cmd.supplierId())) {
      return Effect().reply(cmd.replyTo(), new Recorded());
    }
    return Effect().persist(new SupplierAttempted(cmd.supplierId(), cmd.supplierOrderId(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> new Recorded());
  }

  private ReplyEffect<Event, State> finishTopup(ToppingUp state, FinishTopup cmd) {
    if (busy()) {
      return Effect().stash();
    }
    TopupEnd end = cmd.end();
    OrderView order = state.order();
    String part = order.nextTopup().orElseThrow();
    if (end instanceof EndDelivered delivered) {
      OrderStatus after = afterTopup(order, part);
      return Effect().persist(new TopupDelivered(delivered.supplierId(), delivered.supplierOrderId(),
              delivered.supplierReference(), clock.instant(), delivered.doubtful(), delivered.cost(),
              order.isBundle() ? part : null, after == OrderStatus.DELIVERED ? null : after))
          .thenReply(cmd.replyTo(), s -> new Recorded());
    }
    if (end instanceof EndUndecided undecided) {
      return Effect().persist(new TopupUndecided(undecided.supplierId(), undecided.supplierOrderId(), undecided.why(),
              clock.instant(), undecided.cost()))
          .thenReply(cmd.replyTo(), s -> new Recorded());
    }
    // Failed: the charge (or, by the bundle's policy, its top-up part's share) is refunded first;
    // only then does the order say so.
    EndFailed failed = (EndFailed) end;
    InFlight.GivingBack whole = new InFlight.FailingTopup(cmd);
    return givingBack(state, order.shareRefundedOnFailure(part)
        .<InFlight.GivingBack>map(share -> new InFlight.RefundingPart(whole, part, share, failed.reasons(),
            failed.doubtful(), null, order.topupAfter(part) ? OrderStatus.PROCESSING : null))
        .orElse(whole));
  }

  /** Asks the account to refund the order's charge (or a part's share); {@link ChargeRefunded} says how it went. */
  private ReplyEffect<Event, State> givingBack(Accepted state, InFlight.GivingBack why) {
    inFlight = why;
    Money amount = why.amount(state.order());
    String key = why.refundKey(state.order());
    if (amount.amount() == 0) {
      // A part worth nothing of the charge: nothing to give back, only the outcome to write.
      ctx.getSelf().tell(new ChargeRefunded(true));
      return Effect().noReply();
    }
    ctx.pipeToSelf(Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId())
            .<ChannelAccountProtocol.AccountReply>ask(r -> new ChannelAccountProtocol.Refund(key, amount, r), askTimeout)),
        (reply, failure) -> new ChargeRefunded(failure == null && reply instanceof ChannelAccountProtocol.AccountState));
    return Effect().noReply();
  }

  /** The order holds its refund now; the account need not keep it open (see ChannelAccountProtocol.Refund). */
  private void refundWritten(String key) {
    sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId()).tell(new ChannelAccountProtocol.CloseRefund(key));
  }

  private ReplyEffect<Event, State> resolve(Undecided state, Resolve cmd) {
    if (busy()) {
      return Effect().stash();
    }
    OrderView order = state.order();
    String part = order.nextTopup().orElseThrow();
    if (cmd.status() == OrderStatus.DELIVERED) {
      return Effect().persist(new TopupResolved(afterTopup(order, part), cmd.actor(), clock.instant()))
          .thenRun(s -> {
            if (s instanceof ToppingUp) {
              nextPartDriven();
            }
          })
          .thenReply(cmd.replyTo(), s -> new Applied(((Accepted) s).order()));
    }
    InFlight.GivingBack whole = new InFlight.ResolvingFailed(cmd);
    return givingBack(state, order.shareRefundedOnFailure(part)
        .<InFlight.GivingBack>map(share -> new InFlight.RefundingPart(whole, part, share,
            List.of("resolved as not topped up by " + cmd.actor()), state.facts().doubtful(), cmd.actor(),
            order.topupAfter(part) ? OrderStatus.PROCESSING : null))
        .orElse(whole));
  }

  /** An operator refunds a delivered order's charge: the account first, then the order says REFUNDED. */
  private ReplyEffect<Event, State> refundDelivered(Delivered state, RefundDelivered cmd) {
    if (busy()) {
      return Effect().stash();
    }
    if (state.uses().any()) {
      // What was used cannot be taken back by giving the money back.
      return Effect().reply(cmd.replyTo(), new CodesRedeemed(state.order(), state.uses().codes(),
          state.uses().firstAt().orElse(null)));
    }
    return givingBack(state, new InFlight.Refunding(cmd));
  }

  // ---- redemption: one code at a time, after any refund in flight (stashed until it is decided)

  private ReplyEffect<Event, State> redeem(Delivered state, Redeem cmd) {
    if (busy()) {
      return Effect().stash();
    }
    if (!holds(state.order(), cmd.skuId(), cmd.batchId(), cmd.position())) {
      return Effect().reply(cmd.replyTo(), new NotRedeemable(NotRedeemableReason.NEVER_DELIVERED,
          "the code was never delivered"));
    }
    Optional<CodeUses.CodeUse> used = state.uses().of(cmd.batchId(), cmd.position());
    Money remaining = used.map(CodeUses.CodeUse::remaining).orElse(cmd.faceValue());
    if (used.isPresent() && remaining.amount() == 0) {
      CodeUses.CodeUse last = used.get();
      return Effect().reply(cmd.replyTo(), new AlreadyRedeemed(last.lastAt(), last.lastPlace(), last.lastVerifierId()));
    }
    long amount = cmd.amount() == null ? remaining.amount() : cmd.amount();
    if (amount > remaining.amount()) {
      return Effect().reply(cmd.replyTo(), new NotRedeemable(NotRedeemableReason.AMOUNT_TOO_LARGE,
          "only " + remaining.amount() + " " + remaining.currency() + " (minor units) of the code remains"));
    }
    String channelId = state.order().channelId();
    if (cmd.dryRun()) {
      return Effect().reply(cmd.replyTo(), new Redeemed(null, clock.instant(), remaining, channelId));
    }
    Money left = new Money(remaining.amount() - amount, remaining.currency());
    CodeRedeemed redeemed = new CodeRedeemed(cmd.batchId(), cmd.position(), "rd-" + UUID.randomUUID(),
        cmd.verifierId(), cmd.place(), new Money(amount, remaining.currency()), left, clock.instant(), cmd.skuId(),
        cmd.deliveredAt());
    return Effect().persist(redeemed)
        .thenReply(cmd.replyTo(), s -> new Redeemed(redeemed.redemptionId(), redeemed.at(), left, channelId));
  }

  /**
   * Why a code of an order that is not DELIVERED cannot be redeemed: refunded, or a bundle whose
   * top-up failed (its charge came back), voids it; a bundle still topping up has not delivered it.
   */
  private static NotRedeemable notRedeemable(OrderView order) {
    if (order.status() == OrderStatus.REFUNDED) {
      return new NotRedeemable(NotRedeemableReason.VOIDED, "the code is void: its order was refunded");
    }
    if (order.isBundle() && order.status() == OrderStatus.FAILED) {
      return new NotRedeemable(NotRedeemableReason.VOIDED, "the code is void: its bundle's top-up failed and the "
          + "bundle was refunded");
    }
    if (order.isBundle() && order.status() == OrderStatus.PROCESSING) {
      return new NotRedeemable(NotRedeemableReason.NEVER_DELIVERED, "its bundle is not delivered yet: a top-up of it "
          + "is in progress");
    }
    return new NotRedeemable(NotRedeemableReason.NEVER_DELIVERED, "the code was never delivered");
  }

  /** Whether the order holds this position of the SKU's batch (a bundle: in the part of that SKU). */
  private static boolean holds(OrderView order, String skuId, String batchId, long position) {
    return order.held().stream().filter(part -> !order.isBundle() || part.skuId().equals(skuId))
        .flatMap(part -> part.slots().stream())
        .anyMatch(r -> r.batchId().equals(batchId) && position >= r.from() && position < r.from() + r.count());
  }

  /** The account answered (or not) about refunding the charge: write why, and answer. */
  private ReplyEffect<Event, State> chargeRefunded(Accepted state, ChargeRefunded cmd) {
    if (!(inFlight instanceof InFlight.GivingBack giving)) {
      return Effect().noReply();
    }
    inFlight = null;
    if (!cmd.done()) {
      // No answer: the operator's request times out (503), the driver retries; the account refunds once.
      return Effect().noReply().thenUnstashAll();
    }
    String key = giving.refundKey(state.order());
    return Effect().persist(giving.written(clock.instant()))
        .thenRun(s -> {
          refundWritten(key);
          if (s instanceof ToppingUp && giving instanceof InFlight.RefundingPart settled
              && settled.whole() instanceof InFlight.ResolvingFailed) {
            nextPartDriven();
          }
          giving.answer(((Accepted) s).order());
        })
        .thenNoReply()
        .thenUnstashAll();
  }

  // ---- orders held by risk control: an operator approves or rejects

  /** Approved before, and its driver may never have started (the node died in between): start it. */
  private ReplyEffect<Event, State> approveAgain(ToppingUp state, DecideReview cmd) {
    if (busy()) {
      return Effect().stash();
    }
    if (cmd.approve() && state.facts().attempted().isEmpty()) {
      startDriver(state.order(), cmd);
      return Effect().noReply();
    }
    return Effect().reply(cmd.replyTo(), new NotAwaitingReview(state.order()));
  }

  private ReplyEffect<Event, State> decideReview(Held state, DecideReview cmd) {
    if (busy()) {
      return Effect().stash();
    }
    if (!cmd.approve()) {
      return givingBack(state, new InFlight.Rejecting(cmd, "rejected by " + cmd.actor()));
    }
    inFlight = new InFlight.AllocatingApproval(cmd);
    ctx.pipeToSelf(approval(state), (approval, failure) -> new ApprovalAllocated(failure == null ? approval
        : new ReviewApproval.NoAnswer()));
    return Effect().noReply();
  }

  /**
   * Allocates what the approved order delivers: a bundle's card parts (all or none), a card-code
   * SKU's units, or nothing for a top-up. Whatever an inventory still holds from the placement goes
   * back first: allocating under the same order id would otherwise get that hold back, which a late
   * release could then free.
   */
  private CompletionStage<ReviewApproval> approval(Held state) {
    OrderView order = state.order();
    OrderRequest request = state.request();
    EntityRef<SkuInventoryProtocol.Command> inventory = sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY,
        order.skuId());
    return Replies.on(dispatcher, inventory.<SkuInventoryProtocol.Lookup>ask(SkuInventoryProtocol.GetSku::new,
            askTimeout))
        .thenCompose(lookup -> {
          if (lookup instanceof SkuInventoryProtocol.Found found && found.sku().definition().isBundle()) {
            if (!found.sku().definition().isListed()) {
              return CompletableFuture.completedFuture((ReviewApproval) new ReviewApproval.Units(
                  new SkuInventoryProtocol.SkuUnavailable("SKU " + order.skuId() + " is not listed")));
            }
            List<BundlePart> parts = found.sku().definition().parts();
            return bundleParts.released(orderId, parts.stream().filter(p -> !p.topup()).map(BundlePart::skuId)
                    .toList())
                .thenCompose(released -> bundleParts.allocated(request, parts))
                .thenApply(outcome -> (ReviewApproval) new ReviewApproval.Parts(outcome, parts));
          }
          if (request.rechargeAccount() != null) {
            return CompletableFuture.completedFuture((ReviewApproval) new ReviewApproval.Topup());
          }
          return Replies.on(dispatcher, inventory.<Releasing>ask(r -> new Release(orderId, r), askTimeout))
              .thenCompose(released -> Replies.on(dispatcher, inventory.<Allocation>ask(
                  r -> new Allocate(orderId, order.quantity(), buyer(request), r), askTimeout)))
              .thenApply(allocation -> (ReviewApproval) new ReviewApproval.Units(allocation));
        });
  }

  private ReplyEffect<Event, State> approvalAllocated(Held state, ApprovalAllocated cmd) {
    if (!(inFlight instanceof InFlight.AllocatingApproval approving)) {
      return Effect().noReply();
    }
    DecideReview decide = approving.command();
    ReviewApproval approval = cmd.approval();
    if (approval instanceof ReviewApproval.Topup) {
      inFlight = null;
      return Effect().persist(new ReviewApproved(List.of(), OrderStatus.PROCESSING, decide.actor(), clock.instant(),
              null))
          .thenRun(s -> startDriver(((Accepted) s).order(), decide))
          .thenNoReply()
          .thenUnstashAll();
    }
    if (approval instanceof ReviewApproval.Parts parts) {
      return partsApproved(state, decide, parts);
    }
    Allocation allocation = approval instanceof ReviewApproval.Units units ? units.allocation() : null;
    if (allocation instanceof Allocated allocated) {
      inFlight = null;
      return Effect().persist(new ReviewApproved(allocated.slots(), OrderStatus.DELIVERED, decide.actor(),
              clock.instant(), allocated.cost()))
          .thenRun(s -> confirm(((Accepted) s).order()))
          .thenReply(decide.replyTo(), s -> new Applied(((Accepted) s).order()))
          .thenUnstashAll();
    }
    if (allocation == null || allocation instanceof AllocationOverloaded) {
      // No answer: the operator's request times out (503) and can be sent again.
      inFlight = null;
      return Effect().noReply().thenUnstashAll();
    }
    return givingBack(state, new InFlight.Rejecting(decide, "approved by " + decide.actor() + ", but "
        + (allocation instanceof OutOfStock ? "out of stock" : allocation instanceof BuyerLimitReached
            ? "the buyer reached the SKU's limit" : "the SKU cannot be ordered") + "; the charge was refunded"));
  }

  /**
   * A bundle approved: every card part allocated now, the codes delivered (with a top-up part, the
   * order tops it up next and is PROCESSING until then); a part short refuses the approval and
   * refunds the charge, as an approved card order whose stock is gone.
   */
  private ReplyEffect<Event, State> partsApproved(Held state, DecideReview decide, ReviewApproval.Parts parts) {
    Optional<Holding> holding = parts.outcome().holding();
    if (holding.isPresent()) {
      inFlight = null;
      boolean topup = state.request().rechargeAccount() != null;
      List<PartSlots> allocated = BundleTopups.inBundleOrder(parts.parts(), holding.get(), state.order().amount());
      return Effect().persist(new ReviewApproved(holding.get().slots(), topup ? OrderStatus.PROCESSING
              : OrderStatus.DELIVERED, decide.actor(), clock.instant(), holding.get().cost(), allocated))
          .thenRun(s -> {
            OrderView approved = ((Accepted) s).order();
            confirm(approved);
            if (topup) {
              startDriver(approved, decide);
            } else {
              decide.replyTo().tell(new Applied(approved));
            }
          })
          .thenNoReply()
          .thenUnstashAll();
    }
    Refused refusal = parts.outcome().refusal();
    if (refusal.reason() == RefusalReason.UNAVAILABLE) {
      inFlight = null;
      return Effect().noReply().thenUnstashAll();
    }
    return givingBack(state, new InFlight.Rejecting(decide, "approved by " + decide.actor() + ", but "
        + refusal.detail() + "; the charge was refunded"));
  }

  /** Starts an approved top-up's driver, then answers the operator (no answer: they approve again). */
  private void startDriver(OrderView order, DecideReview cmd) {
    Replies.on(dispatcher, sharding.entityRefFor(TopupProcess.TYPE_KEY, orderId)
        .<TopupProcess.Started>ask(TopupProcess.Start::new, askTimeout))
        .thenAccept(started -> cmd.replyTo().tell(new Applied(order)));
  }

  /**
   * What this SKU's inventory holds for the order goes back; {@code handOut}: only if the inventory
   * gave the units to no placement since (see Release); null: whatever.
   */
  private void release(String skuId, Long handOut) {
    Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
        .<Releasing>ask(r -> new Release(orderId, handOut, r), askTimeout));
  }

  /** The top-up's driver found this order never accepted: refund whatever was charged. */
  private ReplyEffect<Event, State> refundUnplacedTopup(NotPlaced state, RefundUnplacedTopup cmd) {
    if (busy()) {
      return Effect().stash();
    }
    inFlight = new InFlight.RefundingTopup(cmd);
    ctx.pipeToSelf(Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId())
            .<ChannelAccountProtocol.AccountReply>ask(r -> RefundCharge.any(orderId, r), askTimeout)),
        (done, failure) -> new ChargeRefunded(failure == null));
    return Effect().noReply();
  }

  private boolean busy() {
    return inFlight != null;
  }

  /**
   * Handles a request to an order with nothing in its journal once it is known that its account did
   * not accept it either: a card-code order delivered at once is accepted in the account's grouped
   * debit and written here only when first asked about (adopted). The account answers from memory
   * for its hold window and for acceptances the index may not have yet; otherwise the index is read.
   */
  private ReplyEffect<Event, State> lookedUp(Supplier<ReplyEffect<Event, State>> handler) {
    if (inFlight instanceof InFlight.LookingUp) {
      waitingForLookup++;
      return Effect().stash();
    }
    if (busy()) {
      // Waits for something else (stashed by its handler), and is looked up again afterwards: an
      // answer left over for later requests could miss an acceptance made meanwhile.
      lookedUpFor = Math.max(0, lookedUpFor - 1);
      return handler.get();
    }
    if (lookedUpFor > 0) {
      lookedUpFor--;
      return handler.get();
    }
    inFlight = new InFlight.LookingUp();
    waitingForLookup = 1;
    ctx.pipeToSelf(acceptance(), (found, failure) -> failure != null ? new LookedUp(null, true)
        : new LookedUp(found.orElse(null), false));
    return Effect().stash();
  }

  private CompletionStage<Optional<OrderAccepted>> acceptance() {
    if (orderId.indexOf('~') < 0) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId())
            .<AcceptanceLookup>ask(r -> new FindAcceptance(orderId, r), askTimeout))
        .thenCompose(answer -> answer instanceof AcceptanceFound found
            ? CompletableFuture.completedFuture(Optional.of(found.accepted()))
            : answer instanceof LookInIndex ? index.apply(orderId)
            : CompletableFuture.completedFuture(Optional.<OrderAccepted>empty()));
  }

  /**
   * The account accepted this order: its acceptance is written here too, marked adopted (the
   * projections counted it from the account's event). Without an answer nothing can be decided, so
   * the entity stops and the requests that waited go unanswered; asked again, it starts afresh.
   */
  private ReplyEffect<Event, State> adopt(NotPlaced state, LookedUp cmd) {
    if (!(inFlight instanceof InFlight.LookingUp)) {
      return Effect().noReply();
    }
    inFlight = null;
    if (cmd.failed()) {
      ctx.getLog().warn("Order {}: its account or the index did not answer whether it was accepted; stopping",
          orderId);
      return Effect().stop().thenNoReply();
    }
    if (cmd.accepted() == null) {
      lookedUpFor = waitingForLookup;
      waitingForLookup = 0;
      return Effect().noReply().thenUnstashAll();
    }
    waitingForLookup = 0;
    return Effect().persist(cmd.accepted().adoptedByOrder()).thenNoReply().thenUnstashAll();
  }

  /**
   * An inventory holds units for this order, and the order never accepted them: its steps were cut
   * off (node died) and nobody placed it again. Release the units and refund any charge; a later
   * placement under the same number starts afresh.
   */
  private ReplyEffect<Event, State> releaseUnplaced(NotPlaced state, Reconcile cmd) {
    if (busy()) {
      return Effect().stash();
    }
    if (orderId.indexOf('~') < 0) {
      return Effect().noReply();
    }
    inFlight = new InFlight.ReleasingUnplaced();
    String orderId = orderId();
    // A placement of this number may start afresh once the units are back and charge for an order it
    // delivers: seen in the chaos test, 90 ms after the release, and refunded by this step. One that
    // repeats the order gets these very units, and the inventory then keeps them (HandedOutAgain): that
    // placement writes the order or gives up, and the next reconciliation asks again.
    Instant decided = clock.instant();
    CompletionStage<Object> released = Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, cmd.skuId())
        .<Releasing>ask(r -> new Release(orderId, cmd.handOut(), r), askTimeout))
        .thenCompose(releasing -> releasing instanceof HandedOutAgain ? CompletableFuture.<Object>completedFuture(releasing)
            : Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId())
                .<ChannelAccountProtocol.AccountReply>ask(r -> new RefundCharge(orderId, decided, r), askTimeout))
                .thenApply(done -> (Object) done));
    ctx.pipeToSelf(released, (done, failure) -> new UnplacedReleased());
    return Effect().noReply();
  }

  /** Every inventory holding units for the order (its SKU's, or each part's of a bundle) stops reconciling them. */
  private void confirm(OrderView order) {
    order.held().forEach(part -> sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, part.skuId())
        .tell(new ConfirmAllocation(order.orderId())));
  }

  private String orderId() {
    return orderId;
  }

  private String channelId() {
    return orderId.substring(0, orderId.indexOf('~'));
  }

  private ReplyEffect<Event, State> place(NotPlaced state, Place cmd) {
    if (busy()) {
      return Effect().stash();
    }
    inFlight = new InFlight.Placing(cmd);
    ctx.pipeToSelf(steps(cmd.request()), (outcome, failure) -> new StepsDone(failure == null ? outcome
        : new FlowOutcome(List.of(), null, RefusalReason.UNAVAILABLE,
            "the order could not be completed now; retry the same request")));
    return Effect().noReply();
  }

  private static Placement repeated(Accepted state, OrderRequest request) {
    return state.facts().contentHash().equals(request.contentHash()) ? new Placed(state.order(), false)
        : new ContentMismatch(state.order());
  }

  private ReplyEffect<Event, State> stepsDone(NotPlaced state, StepsDone done) {
    if (!(inFlight instanceof InFlight.Placing placing)) {
      return Effect().noReply();
    }
    inFlight = null;
    Place place = placing.place();
    FlowOutcome outcome = done.outcome();
    if (!outcome.accepted()) {
      place.replyTo().tell(new Refused(outcome.refusal(), outcome.detail()));
      return Effect().noReply().thenUnstashAll();
    }
    return written(place.request(), outcome, place.replyTo());
  }

  /** A card-code order placed outside: written now, unless it took so long that reconciling may have begun. */
  private ReplyEffect<Event, State> accept(NotPlaced state, Accept cmd) {
    if (busy()) {
      return Effect().stash();
    }
    if (clock.millis() > cmd.notAfterMillis()) {
      return Effect().reply(cmd.replyTo(), new Refused(RefusalReason.UNAVAILABLE,
          "the order could not be completed in time; retry the same request"));
    }
    return written(cmd.request(), cmd.outcome(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> written(OrderRequest request, FlowOutcome outcome,
      ActorRef<Placement> replyTo) {
    boolean held = outcome.status() == OrderStatus.REVIEW;
    // An order held for review keeps no units: they are released once it is written, and
    // allocated again if an operator approves it. Until written, they guard the charge.
    // A held bundle is not yet made of anything: approval allocates its parts and says which.
    OrderAccepted accepted = new OrderAccepted(request, held ? List.of() : outcome.slots(), outcome.amount(),
        clock.instant(), outcome.status(), outcome.review(), held ? null : outcome.cost(), false,
        held ? null : outcome.parts());
    return Effect().persist(accepted)
        .thenRun(s -> {
          replyTo.tell(new Placed(((Accepted) s).order(), true));
          if (request.rechargeAccount() == null) {
            indexed(accepted);
          }
          if (accepted.deliversCodes()) {
            confirm(((Accepted) s).order());
          } else if (held && !outcome.slots().isEmpty()) {
            List<String> holders = outcome.parts() == null ? List.of(request.skuId())
                : outcome.parts().stream().filter(p -> !p.slots().isEmpty()).map(PartSlots::skuId).toList();
            holders.forEach(skuId -> release(skuId, null));
          }
        })
        .thenNoReply()
        .thenUnstashAll();
  }

  /**
   * A card-code order written here is put in the acceptance index too: a repeat placed through
   * {@link CardOrderFlow} after the day the account and the inventory remember its number looks
   * there before it charges. Not retried: lost (node or Cassandra down right then), such a repeat
   * could be charged and delivered again (docs/orders.md).
   */
  private void indexed(OrderAccepted accepted) {
    indexWriter.apply(List.of(accepted)).whenComplete((done, failure) -> {
      if (failure != null) {
        log.warn("Order {} written but not indexed ({})", orderId,
            failure.getClass().getSimpleName());
      }
    });
  }

  /**
   * Price, risk, allocate, charge: cheapest refusals first, so a refused order writes nothing
   * (risk needs the amount, so pricing, a read, comes first). A refused charge gives the
   * allocation back.
   */
  private CompletionStage<FlowOutcome> steps(OrderRequest request) {
    return Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, request.channelId())
        .<ChannelReply>ask(GetChannel::new, askTimeout))
        .thenCompose(channel -> {
          ChannelView view = channel instanceof ChannelFound found ? found.channel() : null;
          ChannelPrice price = view == null ? null : view.prices().get(request.skuId());
          if (price == null) {
            return refused(RefusalReason.SKU_UNAVAILABLE, "SKU " + request.skuId() + " is not in this channel's catalog");
          }
          if (!view.withinQuota(request.skuId(), request.quantity())) {
            return refused(RefusalReason.LIMIT_EXCEEDED, "this channel's quota for SKU " + request.skuId() + " is used up");
          }
          Money amount = price.price().times(request.quantity());
          return risk.assess(request, amount).thenCompose(verdict -> {
            if (verdict.decision() == Decision.REJECT) {
              return refused(RefusalReason.RISK_REJECTED, "refused by risk control: " + verdict.reason());
            }
            String review = verdict.decision() == Decision.REVIEW ? "held by risk control: " + verdict.reason() : null;
            return request.rechargeAccount() != null ? topupStarted(request, amount, review)
                : allocated(request, amount, review);
          });
        });
  }

  private CompletionStage<FlowOutcome> reviewedIfHeld(OrderRequest request, FlowOutcome outcome) {
    return ReviewQueue.openedIfHeld(sharding, dispatcher, askTimeout, request.orderId(), outcome);
  }

  private CompletionStage<FlowOutcome> allocated(OrderRequest request, Money amount, String review) {
    return Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, request.skuId())
        .<Allocation>ask(r -> new Allocate(request.orderId(), request.quantity(), buyer(request), r), askTimeout))
        .thenCompose(allocation -> {
          return allocation instanceof Allocated allocated ? charge(request, amount, allocated, review)
              : refused(Refusals.of(allocation, request));
        });
  }

  /**
   * A top-up order: the SKU must be a listed top-up SKU whose pattern the account matches. Its
   * driver is started (and remembered by sharding) before the charge, so that a node dying
   * between the charge and the order's write still has someone to refund the charge.
   */
  private CompletionStage<FlowOutcome> topupStarted(OrderRequest request, Money amount, String review) {
    return Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, request.skuId())
        .<SkuInventoryProtocol.Lookup>ask(SkuInventoryProtocol.GetSku::new, askTimeout))
        .thenCompose(lookup -> {
          if (lookup instanceof SkuInventoryProtocol.Found found && found.sku().definition().isBundle()) {
            return bundleTopups.started(request, amount, review, found.sku().definition());
          }
          Optional<Refused> refusal = TopupRules.refusal(lookup, request);
          if (refusal.isPresent()) {
            return refused(refusal.get());
          }
          return Replies.on(dispatcher, sharding.entityRefFor(TopupProcess.TYPE_KEY, request.orderId())
              .<TopupProcess.Started>ask(TopupProcess.Start::new, askTimeout))
              .thenCompose(started -> Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, request.channelId())
                  .<DebitReply>ask(r -> new Debit(request.orderId(), amount, request.skuId(), request.quantity(), r),
                      askTimeout)))
              .thenCompose(debit -> debit instanceof Debited
                  ? reviewedIfHeld(request, new FlowOutcome(List.of(), amount, null, null,
                      review == null ? OrderStatus.PROCESSING : OrderStatus.REVIEW, review, null))
                  : refused(Refusals.of(debit, request, amount)));
        });
  }

  /** Whom the SKU's per-buyer limit counts: the channel's own user id, within that channel. */
  private static String buyer(OrderRequest request) {
    return request.channelId() + "/" + request.buyer().userId();
  }

  private CompletionStage<FlowOutcome> charge(OrderRequest request, Money amount, Allocated allocated, String review) {
    return Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, request.channelId())
        .<DebitReply>ask(r -> new Debit(request.orderId(), amount, request.skuId(), request.quantity(), r), askTimeout))
        .thenCompose(debit -> {
          if (debit instanceof Debited) {
            return reviewedIfHeld(request, new FlowOutcome(allocated.slots(), amount, null, null,
                review == null ? OrderStatus.DELIVERED : OrderStatus.REVIEW, review, allocated.cost()));
          }
          Refused refused = Refusals.of(debit, request, amount);
          return Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, request.skuId())
              .<Releasing>ask(r -> new Release(request.orderId(), r), askTimeout))
              .thenApply(released -> new FlowOutcome(List.of(), null, refused.reason(), refused.detail()));
        });
  }

  private static CompletionStage<FlowOutcome> refused(RefusalReason reason, String detail) {
    return CompletableFuture.completedFuture(new FlowOutcome(List.of(), null, reason, detail));
  }

  private static CompletionStage<FlowOutcome> refused(Refused refused) {
    return refused(refused.reason(), refused.detail());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(OrderAccepted.class, (state, e) -> Accepted.of(new Facts(OrderView.of(e),
            e.request().contentHash(), e.request(), List.of(), List.of())))
        .onEvent(SupplierAttempted.class, (state, e) -> {
          Facts f = ((Accepted) state).facts();
          List<String> attempted = new java.util.ArrayList<>(f.attempted());
          attempted.add(e.supplierId());
          return Accepted.of(new Facts(f.order(), f.contentHash(), f.request(), List.copyOf(attempted), f.doubtful()));
        })
        .onEvent(TopupDelivered.class, (state, e) -> doubting(e.skuId() == null
            ? ended((Accepted) state, OrderStatus.DELIVERED, null)
            : partEnded((Accepted) state, e.skuId(), OrderStatus.DELIVERED, null,
                e.status() == null ? OrderStatus.DELIVERED : e.status()), e.doubtful()))
        .onEvent(TopupFailed.class, (state, e) -> doubting(ended((Accepted) state, OrderStatus.FAILED, null),
            e.doubtful()))
        .onEvent(TopupResolved.class, (state, e) -> {
          Accepted accepted = (Accepted) state;
          OrderView order = accepted.order();
          // A bundle's top-up part an operator settled as topped up: that part ended, the order goes on.
          Optional<String> part = order.isBundle() && e.status() != OrderStatus.FAILED ? order.nextTopup()
              : Optional.empty();
          return part.isPresent() ? partEnded(accepted, part.get(), OrderStatus.DELIVERED, null, e.status())
              : ended(accepted, e.status(), null);
        })
        .onEvent(ReviewApproved.class, (state, e) -> {
          Facts f = ((Accepted) state).facts();
          return Accepted.of(new Facts(f.order().approved(e.slots(), e.status(), e.parts()), f.contentHash(), f.request(),
              f.attempted(), f.doubtful()));
        })
        .onEvent(ReviewRejected.class, (state, e) -> ended((Accepted) state, OrderStatus.FAILED, null))
        .onEvent(DeliveredRefunded.class, (state, e) -> ended((Accepted) state, OrderStatus.REFUNDED, null))
        .onEvent(TopupPartRefunded.class, (state, e) -> doubting(partEnded((Accepted) state, e.skuId(),
            OrderStatus.FAILED, e.amount(), e.status() == null ? OrderStatus.PARTLY_DELIVERED : e.status()),
            e.doubtful()))
        .onEvent(CodeRedeemed.class, (state, e) -> {
          Delivered delivered = (Delivered) state;
          return new Delivered(delivered.facts(), delivered.uses().with(e));
        })
        .onEvent(TopupUndecided.class, (state, e) -> ended((Accepted) state, OrderStatus.PROCESSING,
            "supplier " + e.supplierId() + " did not say whether it topped up (" + e.why() + ")"))
        .build();
  }

  /** The order with a new status (and review note): the stage follows from it. */
  private static Accepted ended(Accepted state, OrderStatus status, String review) {
    Facts f = state.facts();
    return Accepted.of(new Facts(f.order().with(status, review), f.contentHash(), f.request(), f.attempted(),
        f.doubtful()));
  }

  /** A bundle's top-up part ended; the next part (if any) starts with no supplier attempted. */
  private static Accepted partEnded(Accepted state, String part, OrderStatus end, Money share, OrderStatus after) {
    Facts f = state.facts();
    return Accepted.of(new Facts(f.order().partEnded(part, end, share, after), f.contentHash(), f.request(), List.of(),
        f.doubtful()));
  }

  private static Accepted doubting(Accepted state, List<String> doubtful) {
    Facts f = state.facts();
    return Accepted.of(new Facts(f.order(), f.contentHash(), f.request(), f.attempted(),
        doubtful == null ? List.of() : List.copyOf(doubtful)));
  }
}
