package com.quanyi.node.order;

import static com.quanyi.protocol.order.OrderProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelProtocol;
import com.quanyi.protocol.channel.ChannelProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelProtocol.ChannelPrice;
import com.quanyi.protocol.channel.ChannelProtocol.ChannelReply;
import com.quanyi.protocol.channel.ChannelProtocol.Debit;
import com.quanyi.protocol.channel.ChannelProtocol.DebitOverloaded;
import com.quanyi.protocol.channel.ChannelProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelProtocol.Debited;
import com.quanyi.protocol.channel.ChannelProtocol.GetChannel;
import com.quanyi.protocol.channel.ChannelProtocol.ChannelView;
import com.quanyi.protocol.channel.ChannelProtocol.InsufficientBalance;
import com.quanyi.protocol.channel.ChannelProtocol.QuotaExceeded;
import com.quanyi.protocol.channel.ChannelProtocol.ReverseCharge;
import com.quanyi.protocol.inventory.InventoryProtocol;
import com.quanyi.protocol.inventory.InventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.InventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.InventoryProtocol.ConfirmAllocation;
import com.quanyi.protocol.inventory.InventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.InventoryProtocol.AllocationOverloaded;
import com.quanyi.protocol.inventory.InventoryProtocol.BuyerLimitReached;
import com.quanyi.protocol.inventory.InventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.InventoryProtocol.Release;
import com.quanyi.protocol.inventory.InventoryProtocol.Releasing;
import com.quanyi.protocol.order.OrderProtocol.Abandoned;
import com.quanyi.protocol.order.OrderProtocol.Command;
import com.quanyi.protocol.order.OrderProtocol.Reconcile;
import com.quanyi.protocol.order.OrderProtocol.ContentMismatch;
import com.quanyi.protocol.order.OrderProtocol.Event;
import com.quanyi.protocol.order.OrderProtocol.FlowOutcome;
import com.quanyi.protocol.order.OrderProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProtocol.OrderFound;
import com.quanyi.protocol.order.OrderProtocol.OrderNotFound;
import com.quanyi.protocol.order.OrderProtocol.OrderView;
import com.quanyi.protocol.order.OrderProtocol.Place;
import com.quanyi.protocol.order.OrderProtocol.Placed;
import com.quanyi.protocol.order.OrderProtocol.Refused;
import com.quanyi.protocol.order.OrderProtocol.StepsDone;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One order of one channel (entity id: channel and client order number). Placing a card-code
 * order takes the channel's price, allocates stock, charges the channel, and only then writes,
 * once: a refused order costs no write here, and none in the inventory or the account either.
 * While the steps run, repeats of the same order wait (stashed) and then see its outcome.
 */
public final class OrderProcess extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, OrderProcess.State> {

  public sealed interface State extends CborSerializable permits NotPlaced, Accepted {}

  public record NotPlaced() implements State {}

  public record Accepted(OrderView order, String contentHash) implements State {}

  private final String orderId;
  private final ActorContext<Command> ctx;
  private final ClusterSharding sharding;
  private final Clock clock;
  private final Duration askTimeout;
  private final RiskStep risk;
  /** The placement whose steps are running; transient, never persisted. */
  private Place running;
  /** Giving back an abandoned order's units and charge; transient. */
  private boolean abandoning;

  private OrderProcess(ActorContext<Command> ctx, String orderId, Clock clock, Duration askTimeout, RiskStep risk) {
    super(PersistenceId.of(TYPE_KEY.name(), orderId));
    this.orderId = orderId;
    this.ctx = ctx;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.risk = risk;
  }

  public static void init(ActorSystem<?> system, Duration askTimeout, RiskStep risk) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(), Clock.systemUTC(),
        askTimeout, risk)));
  }

  public static Behavior<Command> create(String orderId, Clock clock, Duration askTimeout, RiskStep risk) {
    return Behaviors.setup(ctx -> new OrderProcess(ctx, orderId, clock, askTimeout, risk));
  }

  @Override
  public State emptyState() {
    return new NotPlaced();
  }

  /** An order has one or two events and never a snapshot: starting one skips the snapshot read. */
  @Override
  public Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder.forStateType(NotPlaced.class)
        .onCommand(Place.class, this::place)
        .onCommand(GetOrder.class, (state, cmd) -> busy()
            ? Effect().stash()
            : Effect().reply(cmd.replyTo(), new OrderNotFound()))
        .onCommand(StepsDone.class, this::stepsDone)
        .onCommand(Reconcile.class, this::abandon)
        .onCommand(Abandoned.class, (state, cmd) -> {
          abandoning = false;
          return Effect().noReply().thenUnstashAll();
        });
    builder.forStateType(Accepted.class)
        .onCommand(Place.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            state.contentHash().equals(cmd.request().contentHash()) ? new Placed(state.order(), false) : new ContentMismatch()))
        .onCommand(GetOrder.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new OrderFound(state.order())))
        .onCommand(StepsDone.class, (state, cmd) -> Effect().noReply())
        .onCommand(Reconcile.class, (state, cmd) -> {
          confirm(state.order());
          return Effect().noReply();
        })
        .onCommand(Abandoned.class, (state, cmd) -> Effect().noReply());
    return builder.build();
  }

  private boolean busy() {
    return running != null || abandoning;
  }

  /**
   * An inventory holds units for this order, and the order never accepted them: its steps were cut
   * off (node died) and nobody placed it again. Give the units and any charge back; a later
   * placement under the same number starts afresh.
   */
  private ReplyEffect<Event, State> abandon(NotPlaced state, Reconcile cmd) {
    if (busy()) {
      return Effect().stash();
    }
    if (orderId.indexOf('~') < 0) {
      return Effect().noReply();
    }
    abandoning = true;
    String orderId = orderId();
    CompletionStage<Object> released = sharding.entityRefFor(InventoryProtocol.TYPE_KEY, cmd.skuId())
        .<Releasing>ask(r -> new Release(orderId, r), askTimeout)
        .thenCompose(done -> sharding.entityRefFor(ChannelProtocol.TYPE_KEY, channelId())
            .<ChannelProtocol.AccountReply>ask(r -> new ReverseCharge(orderId, r), askTimeout))
        .thenApply(done -> (Object) done);
    ctx.pipeToSelf(released, (done, failure) -> new Abandoned());
    return Effect().noReply();
  }

  private void confirm(OrderView order) {
    sharding.entityRefFor(InventoryProtocol.TYPE_KEY, order.skuId()).tell(new ConfirmAllocation(order.orderId()));
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
    running = cmd;
    ctx.pipeToSelf(steps(cmd.request()), (outcome, failure) -> new StepsDone(failure == null ? outcome
        : new FlowOutcome(List.of(), null, "UNAVAILABLE", "the order could not be completed now; retry the same request")));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> stepsDone(NotPlaced state, StepsDone done) {
    Place place = running;
    running = null;
    FlowOutcome outcome = done.outcome();
    if (!outcome.accepted()) {
      place.replyTo().tell(new Refused(outcome.refusal(), outcome.detail()));
      return Effect().noReply().thenUnstashAll();
    }
    return Effect().persist(new OrderAccepted(place.request(), outcome.slots(), outcome.amount(), clock.instant()))
        .thenRun(s -> {
          place.replyTo().tell(new Placed(((Accepted) s).order(), true));
          confirm(((Accepted) s).order());
        })
        .thenNoReply()
        .thenUnstashAll();
  }

  /**
   * Risk, price, allocate, charge: cheapest refusals first, so a refused order writes nothing. A
   * refused charge gives the allocation back.
   */
  private CompletionStage<FlowOutcome> steps(OrderRequest request) {
    return risk.assess(request).thenCompose(verdict -> verdict.allows()
        ? priced(request)
        : refused("RISK_REJECTED", "refused by risk control: " + verdict.reason()));
  }

  private CompletionStage<FlowOutcome> priced(OrderRequest request) {
    return sharding.entityRefFor(ChannelProtocol.TYPE_KEY, request.channelId())
        .<ChannelReply>ask(GetChannel::new, askTimeout)
        .thenCompose(channel -> {
          ChannelView view = channel instanceof ChannelFound found ? found.channel() : null;
          ChannelPrice price = view == null ? null : view.prices().get(request.skuId());
          if (price == null) {
            return refused("SKU_UNAVAILABLE", "SKU " + request.skuId() + " is not in this channel's catalog");
          }
          if (!view.withinQuota(request.skuId(), request.quantity())) {
            return refused("LIMIT_EXCEEDED", "this channel's quota for SKU " + request.skuId() + " is used up");
          }
          return allocated(request, price.price().times(request.quantity()));
        });
  }

  private CompletionStage<FlowOutcome> allocated(OrderRequest request, Money amount) {
    return sharding.entityRefFor(InventoryProtocol.TYPE_KEY, request.skuId())
        .<Allocation>ask(r -> new Allocate(request.orderId(), request.quantity(), buyer(request), r), askTimeout)
        .thenCompose(allocation -> {
          if (allocation instanceof Allocated allocated) {
            return charge(request, amount, allocated);
          }
          if (allocation instanceof OutOfStock) {
            return refused("OUT_OF_STOCK", "not enough stock for " + request.quantity() + " unit(s)");
          }
          if (allocation instanceof BuyerLimitReached limit) {
            return refused("LIMIT_EXCEEDED", "this buyer may hold at most " + limit.maxPerBuyer()
                + " unit(s) of SKU " + request.skuId() + " and holds " + limit.held());
          }
          if (allocation instanceof AllocationOverloaded) {
            return refused("OVERLOADED", "too many orders for this SKU right now; retry");
          }
          return refused("SKU_UNAVAILABLE", "SKU " + request.skuId() + " cannot be ordered");
        });
  }

  /** Whom the SKU's per-buyer limit counts: the channel's own user id, within that channel. */
  private static String buyer(OrderRequest request) {
    return request.channelId() + "/" + request.buyer().userId();
  }

  private CompletionStage<FlowOutcome> charge(OrderRequest request, Money amount, Allocated allocated) {
    return sharding.entityRefFor(ChannelProtocol.TYPE_KEY, request.channelId())
        .<DebitReply>ask(r -> new Debit(request.orderId(), amount, request.skuId(), request.quantity(), r), askTimeout)
        .thenCompose(debit -> {
          if (debit instanceof Debited) {
            return CompletableFuture.completedFuture(new FlowOutcome(allocated.slots(), amount, null, null));
          }
          String reason;
          String detail;
          if (debit instanceof InsufficientBalance) {
            reason = "INSUFFICIENT_BALANCE";
            detail = "the balance does not cover " + amount.amount();
          } else if (debit instanceof QuotaExceeded) {
            reason = "LIMIT_EXCEEDED";
            detail = "this channel's quota for SKU " + request.skuId() + " is used up";
          } else if (debit instanceof DebitOverloaded) {
            reason = "OVERLOADED";
            detail = "the channel account cannot be charged now; retry";
          } else {
            reason = "SKU_UNAVAILABLE";
            detail = "the channel account cannot be charged now";
          }
          return sharding.entityRefFor(InventoryProtocol.TYPE_KEY, request.skuId())
              .<Releasing>ask(r -> new Release(request.orderId(), r), askTimeout)
              .thenApply(released -> new FlowOutcome(List.of(), null, reason, detail));
        });
  }

  private static CompletionStage<FlowOutcome> refused(String reason, String detail) {
    return CompletableFuture.completedFuture(new FlowOutcome(List.of(), null, reason, detail));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(OrderAccepted.class, (state, e) -> new Accepted(new OrderView(e.request().orderId(),
            e.request().channelId(), e.request().clientOrderNo(), e.request().skuId(), e.request().quantity(),
            OrderStatus.DELIVERED, e.amount(), e.slots(), e.at()), e.request().contentHash()))
        .build();
  }
}
