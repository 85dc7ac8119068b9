package com.quanyi.node.order;

import com.quanyi.node.AskTimeout;
import com.quanyi.node.Replies;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.order.OrderService;
import com.quanyi.node.callback.CallbackTargets;
import com.quanyi.node.metrics.OrderMeter;
import com.quanyi.node.vault.VaultDesk;
import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.RevealedCode;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.ContentMismatch;
import com.quanyi.protocol.order.OrderProcessProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderFound;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderLookup;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderProcessProtocol.PartEnd;
import com.quanyi.protocol.order.OrderProcessProtocol.PartSlots;
import com.quanyi.protocol.order.OrderProcessProtocol.Place;
import com.quanyi.protocol.order.OrderProcessProtocol.Placed;
import com.quanyi.protocol.order.OrderProcessProtocol.Placement;
import com.quanyi.protocol.order.OrderProcessProtocol.NotAwaitingReview;
import com.quanyi.protocol.order.OrderProcessProtocol.Resolve;
import com.quanyi.protocol.order.OrderProcessProtocol.Applied;
import com.quanyi.protocol.order.OrderProcessProtocol.OperatorAnswer;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.order.ReviewQueueProtocol;
import java.util.concurrent.Executor;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Orders over their entities, with their codes: decrypted from the vault for the channel that
 * bought them, masked for operators. Codes are revealed on each answer and never stored in the
 * order.
 */
public final class OrderDesk implements OrderService {

  private final ClusterSharding sharding;

  /** Where the continuations of entity replies run (see Replies). */

  private final Executor dispatcher;
  private final VaultDesk vault;
  private final CallbackTargets callbackTargets;
  private final AskTimeout askTimeout;
  private final CardOrderFlow cardOrders;
  private final OrderTimeline timelines;
  private final OrderMeter meter = OrderMeter.ofProcess();

  /** The node's risk step once it has one; until then (the node is not serving yet) nothing to prepare. */
  private volatile RiskStep risk = RiskStep.allowAll();
  /** The index of acceptances once the node has Cassandra; no order is placed before. */
  private volatile Function<String, CompletionStage<Optional<OrderAccepted>>> acceptances =
      orderId -> CompletableFuture.failedFuture(new IllegalStateException("the acceptance index is not ready"));

  /**
   * @param acceptWithin how long a card-code placement may take before it is given up; less than
   *     the inventory's {@code reconcile-after} (see {@link CardOrderFlow})
   * @param chargesRemembered the channel accounts' hold window: how long they remember a charge
   */
  public OrderDesk(ActorSystem<?> system, VaultDesk vault, CallbackTargets callbackTargets, AskTimeout askTimeout,
      Duration acceptWithin, Duration chargesRemembered) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.vault = vault;
    this.callbackTargets = callbackTargets;
    this.askTimeout = askTimeout;
    this.cardOrders = new CardOrderFlow(system, () -> risk, () -> acceptances, askTimeout, acceptWithin,
        chargesRemembered, Clock.systemUTC());
    this.timelines = new OrderTimeline(system);
  }

  public void riskReady(RiskStep riskStep) {
    this.risk = riskStep;
  }

  public void acceptancesReady(Function<String, CompletionStage<Optional<OrderAccepted>>> index) {
    this.acceptances = index;
  }

  @Override
  public CompletionStage<Outcome> place(OrderRequest request) {
    long started = System.nanoTime();
    boolean topup = request.rechargeAccount() != null;
    return placed(request).whenComplete((outcome, failure) -> {
      if (outcome instanceof Created created) {
        meter.created(topup, created.order().status().name(), started);
      } else if (outcome instanceof Existing) {
        meter.repeated(topup, started);
      } else if (outcome instanceof OrderService.Refused refused) {
        meter.refused(topup, refused.code().name(), started);
      } else {
        meter.unanswered(topup, started);
      }
    });
  }

  private CompletionStage<Outcome> placed(OrderRequest request) {
    Optional<String> badCallback = Optional.ofNullable(request.callbackUrl()).flatMap(callbackTargets::refusal);
    if (badCallback.isPresent()) {
      return done(new OrderService.Refused(ProblemCode.INVALID_REQUEST, badCallback.get()));
    }
    if (request.rechargeAccount() != null) {
      // A top-up's entity starts before its risk step: its subjects' profiles start meanwhile.
      // A card-code order is judged from memory first, so nothing is started for one refused.
      risk.prepare(request);
    }
    // A top-up's entity starts its driver before the charge; card codes are placed before their
    // entity exists. Placing at the entity waits for the inventory and the account in turn: three asks' time.
    CompletionStage<Placement> placement = request.rechargeAccount() == null ? cardOrders.place(request)
        : Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, request.orderId())
            .<Placement>ask(r -> new Place(request, r), askTimeout.now().multipliedBy(3)));
    return placement.thenCompose(answer -> {
      if (answer instanceof Placed placed) {
        return response(placed.order(), false).thenApply(order -> placed.created()
            ? (Outcome) new Created(order) : new Existing(order));
      }
      if (answer instanceof ContentMismatch) {
        return done(new OrderService.Refused(ProblemCode.IDEMPOTENCY_MISMATCH,
            "clientOrderNo " + request.clientOrderNo() + " was used for a different order"));
      }
      OrderProcessProtocol.Refused refused = (OrderProcessProtocol.Refused) answer;
      return done(new OrderService.Refused(ProblemCode.forRefusal(refused.reason()), refused.detail()));
    });
  }

  @Override
  public CompletionStage<Outcome> channelOrder(String channelId, String clientOrderNo) {
    return lookup(OrderProcessProtocol.orderId(channelId, clientOrderNo), false);
  }

  @Override
  public CompletionStage<Outcome> adminOrder(String orderId) {
    if (!isOrderId(orderId)) {
      return done(new OrderService.Refused(ProblemCode.NOT_FOUND, "no such order"));
    }
    return lookup(orderId, true);
  }

  @Override
  public CompletionStage<TimelineOutcome> timeline(String orderId) {
    return timelines.of(orderId, this::adminOrder);
  }

  @Override
  public CompletionStage<List<ReviewEntry>> reviews() {
    return Replies.on(dispatcher, sharding.entityRefFor(ReviewQueueProtocol.TYPE_KEY, ReviewQueueProtocol.ENTITY_ID)
        .<ReviewQueueProtocol.Items>ask(ReviewQueueProtocol.ListOpen::new, askTimeout.now()))
        .thenApply(items -> items.items().stream()
            .map(i -> new ReviewEntry(i.orderId(), i.reason(), i.openedAt())).toList());
  }

  @Override
  public CompletionStage<Outcome> resolve(String orderId, OrderStatus status, String actor) {
    if (!isOrderId(orderId)) {
      return done(new OrderService.Refused(ProblemCode.NOT_FOUND, "no such order"));
    }
    // Resolving FAILED refunds the charge first: two asks' time.
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId)
        .<OperatorAnswer>ask(r -> new Resolve(status, actor, r), askTimeout.now().multipliedBy(2)))
        .thenCompose(answer -> closed(orderId, answer));
  }

  @Override
  public CompletionStage<Outcome> decideReview(String orderId, boolean approve, String actor) {
    if (!isOrderId(orderId)) {
      return done(new OrderService.Refused(ProblemCode.NOT_FOUND, "no such order"));
    }
    // Approving allocates, rejecting refunds the charge: two asks' time.
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId)
        .<OperatorAnswer>ask(r -> new OrderProcessProtocol.DecideReview(approve, actor, r), askTimeout.now().multipliedBy(2)))
        .thenCompose(answer -> closed(orderId, answer));
  }

  @Override
  public CompletionStage<Outcome> refund(String orderId, String reason, String actor) {
    if (!isOrderId(orderId)) {
      return done(new OrderService.Refused(ProblemCode.NOT_FOUND, "no such order"));
    }
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId)
        .<OperatorAnswer>ask(r -> new OrderProcessProtocol.RefundDelivered(reason, actor, r), askTimeout.now().multipliedBy(2)))
        .thenCompose(answer -> {
          if (answer instanceof Applied applied) {
            return response(applied.order(), true).thenApply(order -> (Outcome) new Existing(order));
          }
          if (answer instanceof OrderProcessProtocol.CodesRedeemed redeemed) {
            return done(new OrderService.Refused(ProblemCode.ALREADY_REDEEMED, "order " + orderId + " cannot be refunded: "
                + redeemed.redeemed() + " of its codes " + (redeemed.redeemed() == 1 ? "was" : "were")
                + " redeemed, the first at " + redeemed.firstAt()));
          }
          OrderView order = ((OrderProcessProtocol.NotRefundable) answer).order();
          return done(order == null ? new OrderService.Refused(ProblemCode.NOT_FOUND, "no such order")
              : new OrderService.Refused(ProblemCode.INVALID_REQUEST, "only a DELIVERED order can be refunded; order "
                  + orderId + " is " + order.status()));
        });
  }

  /** What an operator's answer says, once the review queue has let go of the order if nobody waits for it. */
  private CompletionStage<Outcome> closed(String orderId, OperatorAnswer answer) {
    return ReviewQueue.closedAfter(sharding, dispatcher, askTimeout.now(), orderId, answer).thenCompose(done -> {
      if (answer instanceof Applied applied) {
        return response(applied.order(), true).thenApply(order -> (Outcome) new Existing(order));
      }
      OrderView order = ((NotAwaitingReview) answer).order();
      if (order == null) {
        return done(new OrderService.Refused(ProblemCode.NOT_FOUND, "no such order"));
      }
      return done(new OrderService.Refused(ProblemCode.INVALID_REQUEST, "order " + orderId
          + (ReviewQueue.waitsForDecision(order) ? " waits for another decision (status " + order.status() + ": "
              + (order.status() == OrderStatus.REVIEW ? "approve or reject" : "resolve") + ")"
              : " is not waiting for review (status " + order.status() + ")")));
    });
  }

  private static boolean isOrderId(String orderId) {
    String[] parts = orderId.split("~");
    return parts.length == 2 && Identifier.isValid(parts[0]) && Identifier.isValid(parts[1]);
  }

  private CompletionStage<Outcome> lookup(String orderId, boolean masked) {
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId)
        .<OrderLookup>ask(GetOrder::new, askTimeout.now()))
        .thenCompose(lookup -> lookup instanceof OrderFound found
            ? response(found.order(), masked).thenApply(order -> (Outcome) new Existing(order))
            : done(new OrderService.Refused(ProblemCode.NOT_FOUND, "no such order")));
  }

  private CompletionStage<OrderResponse> response(OrderView order, boolean masked) {
    CodeVault codes = vault.vault().orElseThrow(() -> new IllegalStateException("the vault is not ready"));
    if (order.isBundle()) {
      List<CompletableFuture<PartResponse>> parts = order.parts().stream()
          .map(part -> codes.reveal(part.skuId(), part.slots())
              .thenApply(revealed -> new PartResponse(part.skuId(), statusOf(order, part),
                  part.slots().isEmpty() ? null : shown(revealed, masked)))
              .toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(all ->
          response(order, null, masked, parts.stream().map(CompletableFuture::join).toList()));
    }
    return codes.reveal(order.skuId(), order.slots()).thenApply(revealed -> response(order,
        order.slots().isEmpty() ? null : shown(revealed, masked), masked, null));
  }

  /**
   * A bundle's card-code part is DELIVERED while the order is PROCESSING or PARTLY_DELIVERED (its
   * codes are in this response), otherwise where the order stands; a top-up part is where it ended
   * (DELIVERED, or FAILED with its share refunded), otherwise where the order stands.
   */
  private static OrderStatus statusOf(OrderView order, PartSlots part) {
    if (!part.slots().isEmpty()) {
      return order.status() == OrderStatus.PROCESSING || order.status() == OrderStatus.PARTLY_DELIVERED
          ? OrderStatus.DELIVERED : order.status();
    }
    return order.partEnds().stream().filter(end -> end.skuId().equals(part.skuId())).map(PartEnd::status).findFirst()
        .orElse(order.status());
  }

  private static OrderResponse response(OrderView order, List<Code> codes, boolean masked, List<PartResponse> parts) {
    return new OrderResponse(order.orderId(), order.clientOrderNo(), order.skuId(), order.quantity(), order.status(),
        order.amount(), order.refunded(), codes, order.createdAt(), masked ? order.review() : null, parts);
  }

  private static List<Code> shown(List<RevealedCode> revealed, boolean masked) {
    return revealed.stream().map(c -> new Code(masked ? c.masked() : c.code(), c.expiresAt())).toList();
  }

  private static CompletionStage<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }
}
