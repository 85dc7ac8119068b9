package com.quanyi.node.order;

import com.quanyi.node.AskTimeout;
import com.quanyi.node.Replies;
import com.quanyi.node.metrics.StepMeter;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.CancelReservation;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChargedOtherwise;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debited;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reservation;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ReservationRefused;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reserve;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Reserved;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RefundCharge;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Available;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BundleOf;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.ConfirmAllocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Peek;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Release;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Releasing;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.Accept;
import com.quanyi.protocol.order.OrderProcessProtocol.ContentMismatch;
import com.quanyi.protocol.order.OrderProcessProtocol.FlowOutcome;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.Place;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderProcessProtocol.Placed;
import com.quanyi.protocol.order.OrderProcessProtocol.Placement;
import com.quanyi.protocol.order.OrderProcessProtocol.Refused;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.RefusalReason;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.order.ReviewQueueProtocol;
import com.quanyi.protocol.risk.RiskVerdict.Decision;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Places a card-code order with the entities that own each fact, without its order entity: the
 * channel's account prices it and holds its money ({@link Reserve}), risk control judges it, the
 * SKU's inventory allocates units, and the account charges it and, in the same grouped write,
 * accepts it ({@link OrderAccepted} in the debit). The order entity starts only when the order is
 * asked about later, and adopts that acceptance. An order held by risk control is written by its
 * entity ({@link Accept}). Every refusal (no price, quota, balance, risk, sold out, buyer limit) is
 * answered from memory: no Cassandra operation and no persistent entity started. A repeat of an
 * order already charged goes to its entity ({@link Place}).
 *
 * <p>Within {@code acceptWithin} of its start a placement is written or given up (the account
 * refuses a later debit, the entity a later acceptance), and the inventory reconciles a hold only
 * after {@code quanyi.inventory.reconcile-after} (at least twice as long): so reconciling a hold
 * whose order never came never races the placement that made it.
 */
final class CardOrderFlow {

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final Supplier<RiskStep> risk;
  /** Reads an acceptance from the index ({@link AcceptanceIndex#find}). */
  private final Supplier<Function<String, CompletionStage<Optional<OrderAccepted>>>> acceptances;
  private final AskTimeout askTimeout;
  private final Duration acceptWithin;
  /** How long the account remembers an order's charge (its hold window). */
  private final Duration chargesRemembered;
  private final Clock clock;
  private final StepMeter steps = StepMeter.ofProcess();
  private final BundleParts bundleParts;

  CardOrderFlow(ActorSystem<?> system, Supplier<RiskStep> risk,
      Supplier<Function<String, CompletionStage<Optional<OrderAccepted>>>> acceptances, AskTimeout askTimeout,
      Duration acceptWithin, Duration chargesRemembered, Clock clock) {
    this.acceptances = acceptances;
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.risk = risk;
    this.askTimeout = askTimeout;
    this.acceptWithin = acceptWithin;
    this.chargesRemembered = chargesRemembered;
    this.clock = clock;
    this.bundleParts = new BundleParts(sharding, dispatcher, askTimeout::now);
  }

  /**
   * A SKU whose inventory answered "sold out" within {@link #SOLD_OUT_HINT}: its next orders ask the
   * inventory first ({@link Peek}), so that while it stays sold out a refusal costs one question to
   * the inventory and nothing at the account. Only a hint: the inventory decides, and an order that
   * holds units is never told "sold out".
   */
  private static final long SOLD_OUT_HINT = Duration.ofMillis(250).toNanos();
  private final Map<String, Long> soldOutSince = new ConcurrentHashMap<>();

  CompletionStage<Placement> place(OrderRequest request) {
    Long soldOut = soldOutSince.get(request.skuId());
    if (soldOut != null && System.nanoTime() - soldOut < SOLD_OUT_HINT) {
      return peeked(request).thenCompose(peek -> mayAllocate(peek) ? reservedAndPlaced(request)
          : CompletableFuture.completedFuture((Placement) Refusals.of(peek, request)));
    }
    return reservedAndPlaced(request);
  }

  private CompletionStage<Placement> reservedAndPlaced(OrderRequest request) {
    long notAfter = clock.millis() + acceptWithin.toMillis();
    return steps.timed("reserve", Replies.on(dispatcher, account(request).<Reservation>ask(
            r -> new Reserve(request.orderId(), request.skuId(), request.quantity(), r), askTimeout.now())))
        .thenCompose(reservation -> {
          if (reservation instanceof ReservationRefused refused) {
            return refused(refused.reason(), refused.detail());
          }
          Reserved reserved = (Reserved) reservation;
          if (reserved.charged()) {
            return placedByEntity(request);
          }
          RiskStep riskStep = risk.get();
          CompletionStage<Allocation> inStock = riskStep.asksProfiles() ? peeked(request)
              : CompletableFuture.completedFuture(new Available());
          return inStock.thenCompose(peek -> {
            if (!mayAllocate(peek)) {
              return refusedAllocation(request, peek);
            }
            return steps.timed("risk", riskStep.assess(request, reserved.amount())).thenCompose(verdict -> {
              if (verdict.decision() == Decision.REJECT) {
                return cancelled(request, RefusalReason.RISK_REJECTED, "refused by risk control: " + verdict.reason());
              }
              String review = verdict.decision() == Decision.REVIEW ? "held by risk control: " + verdict.reason()
                  : null;
              return allocated(request, reserved.amount(), review, notAfter);
            });
          });
        });
  }

  /** A bundle's stock is its parts': only their allocations can tell. */
  private static boolean mayAllocate(Allocation peek) {
    return peek instanceof Available || peek instanceof BundleOf;
  }

  /** Stock and the buyer's limit, from the inventory's memory, before risk starts any profile. */
  private CompletionStage<Allocation> peeked(OrderRequest request) {
    return steps.timed("peek", Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY,
            request.skuId())
        .<Allocation>ask(r -> new Peek(request.orderId(), request.quantity(), buyer(request), r), askTimeout.now())))
        .thenApply(answer -> noted(request, answer));
  }

  /** Remembers whether the SKU was found sold out (see {@link #SOLD_OUT_HINT}). */
  private Allocation noted(OrderRequest request, Allocation answer) {
    if (answer instanceof OutOfStock outOfStock && outOfStock.available() == 0) {
      soldOutSince.put(request.skuId(), System.nanoTime());
    } else if (answer instanceof Available || answer instanceof Allocated) {
      soldOutSince.remove(request.skuId());
    }
    return answer;
  }

  /** A repeat, or a placement cut off after its charge: the entity answers or finishes it. */
  private CompletionStage<Placement> placedByEntity(OrderRequest request) {
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, request.orderId())
        .<Placement>ask(r -> new Place(request, r), askTimeout.now().multipliedBy(3)));
  }

  private CompletionStage<Placement> allocated(OrderRequest request, Money amount, String review, long notAfter) {
    return steps.timed("allocate", Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY,
                request.skuId())
            .<Allocation>ask(r -> new Allocate(request.orderId(), request.quantity(), buyer(request), r),
                askTimeout.now())))
        .thenApply(answer -> noted(request, answer))
        .thenCompose(allocation -> {
          if (allocation instanceof Allocated allocated) {
            Holding holding = Holding.of(request.skuId(), allocated);
            return review != null ? charged(request, amount, holding, review, notAfter)
                : unlessAcceptedBefore(request, amount, holding, notAfter);
          }
          if (allocation instanceof BundleOf bundle) {
            Optional<BundlePart> topup = bundle.parts().stream().filter(BundlePart::topup).findFirst();
            if (topup.isPresent()) {
              // Orders with a recharge account are placed at their entity, which tops the part up.
              return cancelled(request, RefusalReason.INVALID_REQUEST, "SKU " + request.skuId()
                  + " includes a top-up (" + topup.get().skuId() + "): give the buyer's rechargeAccount");
            }
            // Held for review too: the parts' units guard the charge until the order is written;
            // it keeps none of them then, and approval allocates every part again.
            return bundleParts.allocated(request, bundle.parts()).thenCompose(parts -> parts.holding()
                .map(holding -> review != null ? charged(request, amount, holding, review, notAfter)
                    : unlessAcceptedBefore(request, amount, holding, notAfter))
                .orElseGet(() -> {
                  account(request).tell(new CancelReservation(request.orderId()));
                  return CompletableFuture.completedFuture((Placement) parts.refusal());
                }));
          }
          return refusedAllocation(request, allocation);
        });
  }

  /**
   * An order the account no longer remembers may still have been accepted, long ago: the index
   * says. Then this placement gives back what it allocated and held, and the order's entity answers
   * with the order as it was accepted (200, or 409 for other content), never a second delivery and
   * charge. Only an order about to be accepted costs this read; refusals come before it.
   */
  private CompletionStage<Placement> unlessAcceptedBefore(OrderRequest request, Money amount, Holding holding,
      long notAfter) {
    return steps.timed("acceptance", Replies.on(dispatcher, acceptances.get().apply(request.orderId()))).thenCompose(earlier -> {
      if (earlier.isEmpty()) {
        return charged(request, amount, holding, null, notAfter);
      }
      account(request).tell(new CancelReservation(request.orderId()));
      return released(request, holding.allocatedHere()).thenCompose(released -> placedByEntity(request));
    });
  }

  private CompletionStage<Placement> refusedAllocation(OrderRequest request, Allocation allocation) {
    account(request).tell(new CancelReservation(request.orderId()));
    return CompletableFuture.completedFuture(Refusals.of(allocation, request));
  }

  /**
   * An order delivered at once is accepted by its charge: the account writes the acceptance in its
   * grouped debit, and the order entity is not started. An order held by risk control is written by
   * its entity, which releases the units it does not keep.
   */
  private CompletionStage<Placement> charged(OrderRequest request, Money amount, Holding holding, String review,
      long notAfter) {
    OrderAccepted acceptance = review != null ? null
        : holding.bundle() ? OrderAccepted.ofBundle(request, holding.parts(), amount, clock.instant(), holding.cost())
        : new OrderAccepted(request, holding.slots(), amount, clock.instant(), OrderStatus.DELIVERED, null,
            holding.cost());
    return steps.timed("debit", Replies.on(dispatcher, account(request).<DebitReply>ask(r -> new Debit(
            request.orderId(), amount, request.skuId(), request.quantity(), notAfter, acceptance, r), askTimeout.now())))
        .thenCompose(debit -> {
          if (!(debit instanceof Debited debited)) {
            // Charged for other content: no placement can write an order on these units, so they go
            // back now. Otherwise (balance, quota, overload, out of time) a placement of the same
            // content racing this one may still write the order on them: reconciliation decides.
            CompletionStage<Object> given = debit instanceof ChargedOtherwise
                ? released(request, holding.allocatedHere()) : CompletableFuture.completedFuture(debit);
            return given.thenApply(done -> (Placement) Refusals.of(debit, request, amount));
          }
          if (acceptance != null && !debited.repeat()) {
            holding.held().forEach(held -> sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, held.skuId())
                .tell(new ConfirmAllocation(request.orderId())));
            return CompletableFuture.completedFuture((Placement) new Placed(OrderView.of(acceptance), true));
          }
          if (acceptance != null) {
            // Charged by an earlier placement: the order is whatever that one made it.
            return placedByEntity(request).thenApply(placement -> releasedUnlessOwn(request, placement, holding,
                debited));
          }
          FlowOutcome outcome = new FlowOutcome(holding.slots(), amount, null, null, OrderStatus.REVIEW, review,
              holding.cost(), holding.bundle() ? holding.parts() : null);
          return ReviewQueue.openedIfHeld(sharding, dispatcher, askTimeout.now(), request.orderId(), outcome)
              .thenCompose(held -> written(request, outcome, holding, debited, notAfter));
        });
  }

  /** The order entity writes an order held for review; see {@link #releasedUnlessOwn}. */
  private CompletionStage<Placement> written(OrderRequest request, FlowOutcome outcome, Holding holding,
      Debited debited, long notAfter) {
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, request.orderId())
            .<Placement>ask(r -> new Accept(request, outcome, notAfter, r), askTimeout.now()))
        .thenApply(placement -> releasedUnlessOwn(request, placement, holding, debited));
  }

  /**
   * If the order was written already, by a placement of the same number racing this one or long ago,
   * this placement gives back what it allocated or charged itself, unless the written order stands
   * on it: the inventory holds one hold and the account one charge per order number, so units the
   * order holds are its own whoever allocated them, and a charge is the order's own while the account
   * still remembers the order's (an order written within {@code chargesRemembered}); only an older
   * order's charge was forgotten, and this one is a second.
   */
  private Placement releasedUnlessOwn(OrderRequest request, Placement placement, Holding holding,
      Debited debited) {
    OrderView existing = placement instanceof Placed placed && !placed.created() ? placed.order()
        : placement instanceof ContentMismatch mismatch ? mismatch.existing() : null;
    if (existing != null) {
      released(request, holding.notIn(existing));
      if (!debited.repeat() && existing.createdAt().isBefore(clock.instant().minus(chargesRemembered))) {
        account(request).tell(RefundCharge.any(request.orderId(), system.ignoreRef()));
      }
    }
    return placement;
  }

  /** Gives back units this placement allocated (see {@link Holding#allocatedHere}). */
  private CompletionStage<Object> released(OrderRequest request, List<Holding.Held> allocatedHere) {
    return bundleParts.released(request.orderId(), allocatedHere.stream().map(Holding.Held::skuId).toList());
  }

  private CompletionStage<Placement> cancelled(OrderRequest request, RefusalReason reason, String detail) {
    account(request).tell(new CancelReservation(request.orderId()));
    return refused(reason, detail);
  }

  private EntityRef<ChannelAccountProtocol.Command> account(OrderRequest request) {
    return sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, request.channelId());
  }

  /** Whom the SKU's per-buyer limit counts: the channel's own user id, within that channel. */
  private static String buyer(OrderRequest request) {
    return request.channelId() + "/" + request.buyer().userId();
  }

  private static CompletionStage<Placement> refused(RefusalReason reason, String detail) {
    return CompletableFuture.completedFuture(new Refused(reason, detail));
  }
}
