package com.quanyi.node.order;

import com.quanyi.node.Replies;
import com.quanyi.node.supplier.SupplierDesk;
import com.quanyi.node.supplier.SupplierRouter;
import com.quanyi.node.supplier.SupplierRouter.AllFailed;
import com.quanyi.node.supplier.SupplierRouter.Delivered;
import com.quanyi.node.supplier.SupplierRouter.Outcome;
import com.quanyi.node.supplier.SupplierRouter.Undecided;
import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.RefundUnplacedTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.EndDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.EndFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.EndUndecided;
import com.quanyi.protocol.order.OrderProcessProtocol.FinishTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.GetTopup;
import com.quanyi.protocol.order.OrderProcessProtocol.RecordAttempt;
import com.quanyi.protocol.order.OrderProcessProtocol.Recorded;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupEnd;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupNotAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupOver;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPending;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupState;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.supplier.TopupResult;
import java.util.concurrent.Executor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Drives one top-up order through its suppliers. It keeps nothing itself: its order entity holds
 * the facts (accepted, each supplier attempted, how it ended), and this driver reads them when it
 * starts. Sharding remembers it (remember-entities, in the journal) from before the order is
 * charged until the order has ended, so a node that dies mid-way gets the driver restarted
 * elsewhere, and the top-up resumes with the supplier it was last waiting for.
 */
public final class TopupProcess {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "TopupProcess");

  public interface Command extends CborSerializable {}

  /** From the order: make sure the driver exists (and is remembered) before the charge. */
  public record Start(ActorRef<Started> replyTo) implements Command {}

  public record Started() implements CborSerializable {}

  /** Sharding's stop message, after the driver passivated itself. */
  public record Stop() implements Command {}

  private record Drive() implements Command {}

  /**
   * Internal: a run ended ({@code run}) or a recheck did; {@code recheck} says which suppliers to ask
   * again later, or null if the run failed.
   */
  private record Done(Recheck recheck, boolean run) implements Command {}

  /** Internal: time to ask the doubtful suppliers whether a late request topped up after all. */
  private record RecheckNow(Recheck recheck) implements Command {}

  /** Suppliers of {@code skuId}'s route to ask again whether they topped up {@code key} late. */
  private record Doubt(String skuId, String key, List<String> suppliers) {}

  /** What to ask again once the order's top-ups ended (one doubt per top-up; none to ask: empty). */
  private record Recheck(List<Doubt> doubts) {
    static final Recheck NONE = new Recheck(List.of());

    boolean nothing() {
      return doubts.stream().allMatch(d -> d.suppliers().isEmpty());
    }

    Recheck and(Recheck more) {
      List<Doubt> all = new ArrayList<>(doubts);
      more.doubts().stream().filter(d -> all.stream().noneMatch(known -> known.key().equals(d.key())))
          .forEach(all::add);
      return new Recheck(List.copyOf(all));
    }
  }

  private TopupProcess() {}

  /** @param recheckAfter how long after the end doubtful suppliers are asked again */
  public static void init(ActorSystem<?> system, SupplierDesk suppliers, Duration askTimeout, Duration retryEvery,
      Duration recheckAfter) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), suppliers,
            askTimeout, retryEvery, recheckAfter))
        .withStopMessage(new Stop())
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  static Behavior<Command> create(String orderId, ActorRef<ClusterSharding.ShardCommand> shard,
      SupplierDesk suppliers, Duration askTimeout, Duration retryEvery, Duration recheckAfter) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.getSelf().tell(new Drive());
      // One run at a time: a Start while one runs changes nothing; after it, the order is read again
      // (an operator settled a bundle's top-up part and the next one is due).
      boolean[] driving = {false};
      return Behaviors.receive(Command.class)
          .onMessage(Start.class, start -> {
            start.replyTo().tell(new Started());
            if (!driving[0]) {
              ctx.getSelf().tell(new Drive());
            }
            return Behaviors.same();
          })
          .onMessage(Drive.class, drive -> {
            if (driving[0]) {
              return Behaviors.same();
            }
            driving[0] = true;
            ctx.pipeToSelf(new Driver(ctx, orderId, suppliers, askTimeout).run(), (recheck, failure) -> {
              if (failure != null) {
                ctx.getLog().warn("Top-up of order {} interrupted ({}); resuming in {}", orderId,
                    failure.getClass().getSimpleName(), retryEvery);
                return new Done(null, true);
              }
              return new Done(recheck, true);
            });
            return Behaviors.same();
          })
          .onMessage(Done.class, done -> {
            if (done.run()) {
              driving[0] = false;
            } else if (driving[0]) {
              return Behaviors.same();
            }
            if (done.recheck() == null) {
              timers.startSingleTimer(new Drive(), retryEvery);
            } else if (done.recheck().nothing()) {
              shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
            } else {
              timers.startSingleTimer(new RecheckNow(done.recheck()), recheckAfter);
            }
            return Behaviors.same();
          })
          .onMessage(RecheckNow.class, recheck -> {
            ctx.pipeToSelf(new Driver(ctx, orderId, suppliers, askTimeout).recheck(recheck.recheck()),
                (done, failure) -> failure == null ? new Done(Recheck.NONE, false) : new Done(recheck.recheck(), false));
            return Behaviors.same();
          })
          .onMessage(Stop.class, stop -> Behaviors.stopped())
          .build();
    }));
  }

  /** One run of the top-up: read the order, walk the route, report the end and what to ask again later. */
  private static final class Driver {
    private final String orderId;
    private final SupplierDesk suppliers;
    private final Duration askTimeout;
    private final ClusterSharding sharding;
    /** Where the continuations of entity replies run (see Replies). */
    private final Executor dispatcher;

    Driver(ActorContext<Command> ctx, String orderId, SupplierDesk suppliers, Duration askTimeout) {
      this.orderId = orderId;
      this.suppliers = suppliers;
      this.askTimeout = askTimeout;
      this.sharding = ClusterSharding.get(ctx.getSystem());
      this.dispatcher = Replies.dispatcher(ctx.getSystem());
    }

    /**
     * Ends the top-up if it has not ended (a bundle's top-up parts one after another, the order saying
     * which is next); answers the suppliers to ask again later (maybe none).
     */
    CompletionStage<Recheck> run() {
      return Replies.on(dispatcher, order().<TopupState>ask(GetTopup::new, askTimeout)).thenCompose(state -> {
        if (state instanceof TopupNotAccepted) {
          return Replies.on(dispatcher, order().<Recorded>ask(RefundUnplacedTopup::new, askTimeout))
              .thenApply(r -> Recheck.NONE);
        }
        if (state instanceof TopupPending pending) {
          return topUp(pending.request(), pending.skuId(), pending.key(), pending.attempted())
              .thenCompose(done -> run().thenApply(done::and));
        }
        TopupOver over = (TopupOver) state;
        return CompletableFuture.completedFuture(new Recheck(List.of(new Doubt(over.skuId(), over.key(),
            over.doubtful() == null ? List.of() : over.doubtful()))));
      });
    }

    /**
     * Asks each doubtful supplier once more; one that now reports a success topped up after the
     * order went elsewhere (or failed): a double top-up, or a top-up refunded, for an operator.
     */
    CompletionStage<Void> recheck(Recheck recheck) {
      CompletableFuture<Void> every = CompletableFuture.completedFuture(null);
      for (Doubt doubt : recheck.doubts()) {
        every = every.thenCompose(v -> recheck(doubt));
      }
      return every;
    }

    private CompletionStage<Void> recheck(Doubt doubt) {
      return suppliers.routesFor(doubt.skuId()).thenCompose(routes -> {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (String supplierId : doubt.suppliers()) {
          int index = indexOf(routes, supplierId);
          if (index < 0) {
            continue;
          }
          String id = SupplierRouter.supplierOrderId(doubt.key(), supplierId);
          all = all.thenCompose(v -> routes.get(index).adapter().query(id).thenCompose(result -> {
            if (!(result instanceof TopupResult.Succeeded)) {
              return CompletableFuture.completedFuture(null);
            }
            String reason = "supplier " + supplierId + " reports a top-up under " + id
                + " after the order was decided elsewhere: possible double top-up";
            return ReviewQueue.open(sharding, dispatcher, askTimeout, orderId, reason);
          }));
        }
        return all;
      });
    }

    /**
     * {@code skuId}: the SKU topped up (the order's, or one of its bundle's top-up parts); {@code key}:
     * the order number its suppliers know this top-up by.
     */
    private CompletionStage<Recheck> topUp(OrderRequest request, String skuId, String key, List<String> attempted) {
      CompletionStage<Money> faceValue = Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
          .<SkuInventoryProtocol.Lookup>ask(SkuInventoryProtocol.GetSku::new, askTimeout))
          .thenApply(lookup -> ((SkuInventoryProtocol.Found) lookup).sku().definition().faceValue()
              .times(request.quantity()));
      return faceValue.thenCombine(suppliers.routesFor(skuId), (value, routes) -> {
        String last = attempted.isEmpty() ? null : attempted.get(attempted.size() - 1);
        int resumeFrom = -1;
        if (last != null) {
          resumeFrom = indexOf(routes, last);
          if (resumeFrom < 0) {
            return CompletableFuture.<TopupEnd>completedFuture(new EndUndecided(last,
                SupplierRouter.supplierOrderId(key, last), "its supplier is no longer in the SKU's route", null));
          }
        }
        if (routes.isEmpty()) {
          return CompletableFuture.<TopupEnd>completedFuture(new EndFailed(List.of("no supplier serves SKU "
              + skuId), List.of()));
        }
        return suppliers.router().topUp(key, request.rechargeAccount(), value, routes, resumeFrom,
                (supplierId, supplierOrderId) -> Replies.on(dispatcher, order().<Recorded>ask(
                    r -> new RecordAttempt(supplierId, supplierOrderId, r), askTimeout)).thenApply(r -> (Void) null))
            .thenApply(outcome -> end(outcome, routes, request.quantity()));
      }).thenCompose(end -> end)
          .thenCompose(this::reviewIfUndecided)
          // Ending a failure refunds the charge first: two more asks' time.
          .thenCompose(end -> Replies.on(dispatcher, order().<Recorded>ask(r -> new FinishTopup(end, r), askTimeout.multipliedBy(3)))
              .thenApply(recorded -> new Recheck(List.of(new Doubt(skuId, key, doubtfulOf(end))))));
    }

    /** An undecided top-up joins the operators' queue before the order says so: a crash in between only repeats the join. */
    private CompletionStage<TopupEnd> reviewIfUndecided(TopupEnd end) {
      if (!(end instanceof EndUndecided undecided)) {
        return CompletableFuture.completedFuture(end);
      }
      String reason = "supplier " + undecided.supplierId() + " did not say whether it topped up (" + undecided.why() + ")";
      return ReviewQueue.open(sharding, dispatcher, askTimeout, orderId, reason).thenApply(opened -> end);
    }

    private static int indexOf(List<SupplierRouter.Route> routes, String supplierId) {
      for (int i = 0; i < routes.size(); i++) {
        if (routes.get(i).supplierId().equals(supplierId)) {
          return i;
        }
      }
      return -1;
    }

    private static TopupEnd end(Outcome outcome, List<SupplierRouter.Route> routes, int quantity) {
      if (outcome instanceof Delivered d) {
        return new EndDelivered(d.supplierId(), d.supplierOrderId(), d.supplierReference(), d.doubtful(),
            costAt(routes, d.supplierId(), quantity));
      }
      if (outcome instanceof Undecided u) {
        return new EndUndecided(u.supplierId(), u.supplierOrderId(), u.why(), costAt(routes, u.supplierId(), quantity));
      }
      AllFailed failed = (AllFailed) outcome;
      return new EndFailed(failed.reasons(), failed.doubtful());
    }

    private static Money costAt(List<SupplierRouter.Route> routes, String supplierId, int quantity) {
      int at = indexOf(routes, supplierId);
      return at < 0 ? null : routes.get(at).unitCost().times(quantity);
    }

    private static List<String> doubtfulOf(TopupEnd end) {
      return end instanceof EndDelivered d ? d.doubtful() : end instanceof EndFailed f ? f.doubtful() : List.of();
    }

    private EntityRef<OrderProcessProtocol.Command> order() {
      return sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId);
    }
  }
}
