package com.quanyi.node.order;

import static com.quanyi.protocol.order.ReviewQueueProtocol.TYPE_KEY;

import com.quanyi.node.Replies;
import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.order.OrderProcessProtocol.FlowOutcome;
import com.quanyi.protocol.order.OrderProcessProtocol.NotAwaitingReview;
import com.quanyi.protocol.order.OrderProcessProtocol.OperatorAnswer;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.order.ReviewQueueProtocol;
import com.quanyi.protocol.order.ReviewQueueProtocol.Ack;
import com.quanyi.protocol.order.ReviewQueueProtocol.Close;
import com.quanyi.protocol.order.ReviewQueueProtocol.Command;
import com.quanyi.protocol.order.ReviewQueueProtocol.Event;
import com.quanyi.protocol.order.ReviewQueueProtocol.Item;
import com.quanyi.protocol.order.ReviewQueueProtocol.Items;
import com.quanyi.protocol.order.ReviewQueueProtocol.ListOpen;
import com.quanyi.protocol.order.ReviewQueueProtocol.Open;
import com.quanyi.protocol.order.ReviewQueueProtocol.ReviewClosed;
import com.quanyi.protocol.order.ReviewQueueProtocol.ReviewOpened;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;

/**
 * The orders waiting for an operator (see {@link com.quanyi.protocol.order.ReviewQueueProtocol}).
 * Every write to it goes through this class: {@link #open} before an order says it waits (a crash
 * in between leaves an entry whose order does not exist, never a waiting order no queue lists),
 * {@link #closedAfter} once an operator's answer leaves it waiting for nobody.
 */
public final class ReviewQueue extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, ReviewQueue.State> {

  public record State(Map<String, Item> open) implements CborSerializable {}

  private final Clock clock;

  private ReviewQueue(PersistenceId id, Clock clock) {
    super(id);
    this.clock = clock;
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  /**
   * Opens the queue entry of an order risk control holds, before the order is written: a crash in
   * between leaves a queue entry whose order does not exist (an operator's decision then says so),
   * never an order in REVIEW that no queue lists. Completes at once for an order not held.
   */
  static CompletionStage<FlowOutcome> openedIfHeld(ClusterSharding sharding, Executor dispatcher, Duration timeout,
      String orderId, FlowOutcome outcome) {
    if (outcome.review() == null) {
      return CompletableFuture.completedFuture(outcome);
    }
    return open(sharding, dispatcher, timeout, orderId, outcome.review()).thenApply(opened -> outcome);
  }

  /** Opens the queue entry of an order an operator must look at; opening an open one changes nothing. */
  static CompletionStage<Void> open(ClusterSharding sharding, Executor dispatcher, Duration timeout, String orderId,
      String reason) {
    return Replies.on(dispatcher, queue(sharding).<Ack>ask(r -> new Open(orderId, reason, r), timeout))
        .thenApply(ack -> (Void) null);
  }

  /**
   * Closes an order's entry after an operator's answer, when it no longer waits for anyone: the
   * decision was applied, the order does not exist, or it waits for nothing. An order waiting for
   * the other kind of decision (resolve vs approve/reject) stays.
   */
  static CompletionStage<Void> closedAfter(ClusterSharding sharding, Executor dispatcher, Duration timeout,
      String orderId, OperatorAnswer answer) {
    OrderView order = answer instanceof NotAwaitingReview notAwaiting ? notAwaiting.order() : null;
    if (order != null && waitsForDecision(order)) {
      return CompletableFuture.completedFuture(null);
    }
    return Replies.on(dispatcher, queue(sharding).<Ack>ask(r -> new Close(orderId, r), timeout))
        .thenApply(ack -> (Void) null);
  }

  static boolean waitsForDecision(OrderView order) {
    return order.review() != null || order.status() == OrderStatus.REVIEW;
  }

  private static EntityRef<Command> queue(ClusterSharding sharding) {
    return sharding.entityRefFor(TYPE_KEY, ReviewQueueProtocol.ENTITY_ID);
  }

  public static Behavior<Command> create(String entityId, Clock clock) {
    return new ReviewQueue(PersistenceId.of(TYPE_KEY.name(), entityId), clock);
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Open.class, (state, cmd) -> state.open().containsKey(cmd.orderId())
            ? Effect().reply(cmd.replyTo(), new Ack())
            : Effect().persist(new ReviewOpened(cmd.orderId(), cmd.reason(), clock.instant()))
                .thenReply(cmd.replyTo(), s -> new Ack()))
        .onCommand(Close.class, (state, cmd) -> !state.open().containsKey(cmd.orderId())
            ? Effect().reply(cmd.replyTo(), new Ack())
            : Effect().persist(new ReviewClosed(cmd.orderId(), clock.instant()))
                .thenReply(cmd.replyTo(), s -> new Ack()))
        .onCommand(ListOpen.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Items(state.open().values()
            .stream().sorted(Comparator.comparing(Item::openedAt)).toList())))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(ReviewOpened.class, (state, e) -> {
          Map<String, Item> open = new HashMap<>(state.open());
          open.put(e.orderId(), new Item(e.orderId(), e.reason(), e.at()));
          return new State(Map.copyOf(open));
        })
        .onEvent(ReviewClosed.class, (state, e) -> {
          Map<String, Item> open = new HashMap<>(state.open());
          open.remove(e.orderId());
          return new State(Map.copyOf(open));
        })
        .build();
  }
}
