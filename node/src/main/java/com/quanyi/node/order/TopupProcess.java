package com.quanyi.node.order;

import com.quanyi.node.supplier.SupplierGateway;
import com.quanyi.node.supplier.SupplierRouter;
import com.quanyi.node.supplier.SupplierRouter.AllFailed;
import com.quanyi.node.supplier.SupplierRouter.Delivered;
import com.quanyi.node.supplier.SupplierRouter.Outcome;
import com.quanyi.node.supplier.SupplierRouter.Undecided;
import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.InventoryProtocol;
import com.quanyi.protocol.order.OrderProtocol;
import com.quanyi.protocol.order.OrderProtocol.AbandonTopup;
import com.quanyi.protocol.order.OrderProtocol.EndDelivered;
import com.quanyi.protocol.order.OrderProtocol.EndFailed;
import com.quanyi.protocol.order.OrderProtocol.EndUndecided;
import com.quanyi.protocol.order.OrderProtocol.FinishTopup;
import com.quanyi.protocol.order.OrderProtocol.GetTopup;
import com.quanyi.protocol.order.OrderProtocol.RecordAttempt;
import com.quanyi.protocol.order.OrderProtocol.Recorded;
import com.quanyi.protocol.order.OrderProtocol.TopupEnd;
import com.quanyi.protocol.order.OrderProtocol.TopupNotAccepted;
import com.quanyi.protocol.order.OrderProtocol.TopupPending;
import com.quanyi.protocol.order.OrderProtocol.TopupState;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.ReviewProtocol;
import java.time.Duration;
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

  private record Done(boolean ended) implements Command {}

  private TopupProcess() {}

  public static void init(ActorSystem<?> system, SupplierGateway suppliers, Duration askTimeout, Duration retryEvery) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), suppliers,
            askTimeout, retryEvery))
        .withStopMessage(new Stop())
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  static Behavior<Command> create(String orderId, ActorRef<ClusterSharding.ShardCommand> shard,
      SupplierGateway suppliers, Duration askTimeout, Duration retryEvery) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.getSelf().tell(new Drive());
      return Behaviors.receive(Command.class)
          .onMessage(Start.class, start -> {
            start.replyTo().tell(new Started());
            return Behaviors.same();
          })
          .onMessage(Drive.class, drive -> {
            ctx.pipeToSelf(new Driver(ctx, orderId, suppliers, askTimeout).run(), (ended, failure) -> {
              if (failure != null) {
                ctx.getLog().warn("Top-up of order {} interrupted ({}); resuming in {}", orderId,
                    failure.getClass().getSimpleName(), retryEvery);
              }
              return new Done(failure == null && ended);
            });
            return Behaviors.same();
          })
          .onMessage(Done.class, done -> {
            if (done.ended()) {
              shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
            } else {
              timers.startSingleTimer(new Drive(), retryEvery);
            }
            return Behaviors.same();
          })
          .onMessage(Stop.class, stop -> Behaviors.stopped())
          .build();
    }));
  }

  /** One run of the top-up: read the order, walk the route, report the end. True when there is nothing left to do. */
  private static final class Driver {
    private final ActorContext<Command> ctx;
    private final String orderId;
    private final SupplierGateway suppliers;
    private final Duration askTimeout;
    private final ClusterSharding sharding;

    Driver(ActorContext<Command> ctx, String orderId, SupplierGateway suppliers, Duration askTimeout) {
      this.ctx = ctx;
      this.orderId = orderId;
      this.suppliers = suppliers;
      this.askTimeout = askTimeout;
      this.sharding = ClusterSharding.get(ctx.getSystem());
    }

    CompletionStage<Boolean> run() {
      return order().<TopupState>ask(GetTopup::new, askTimeout).thenCompose(state -> {
        if (state instanceof TopupNotAccepted) {
          return order().<Recorded>ask(AbandonTopup::new, askTimeout).thenApply(r -> true);
        }
        if (state instanceof TopupPending pending) {
          return topUp(pending.request(), pending.attempted());
        }
        return CompletableFuture.completedFuture(true);
      });
    }

    private CompletionStage<Boolean> topUp(OrderRequest request, List<String> attempted) {
      CompletionStage<Money> faceValue = sharding.entityRefFor(InventoryProtocol.TYPE_KEY, request.skuId())
          .<InventoryProtocol.Lookup>ask(InventoryProtocol.GetSku::new, askTimeout)
          .thenApply(lookup -> ((InventoryProtocol.Found) lookup).sku().definition().faceValue()
              .times(request.quantity()));
      return faceValue.thenCombine(suppliers.routesFor(request.skuId()), (value, routes) -> {
        String last = attempted.isEmpty() ? null : attempted.get(attempted.size() - 1);
        int resumeFrom = -1;
        if (last != null) {
          resumeFrom = indexOf(routes, last);
          if (resumeFrom < 0) {
            return CompletableFuture.<TopupEnd>completedFuture(new EndUndecided(last,
                SupplierRouter.supplierOrderId(orderId, last), "its supplier is no longer in the SKU's route"));
          }
        }
        if (routes.isEmpty()) {
          return CompletableFuture.<TopupEnd>completedFuture(new EndFailed(List.of("no supplier serves SKU "
              + request.skuId())));
        }
        return suppliers.router().topUp(orderId, request.rechargeAccount(), value, routes, resumeFrom,
                (supplierId, supplierOrderId) -> order().<Recorded>ask(
                    r -> new RecordAttempt(supplierId, supplierOrderId, r), askTimeout).thenApply(r -> (Void) null))
            .thenApply(Driver::end);
      }).thenCompose(end -> end)
          .thenCompose(this::reviewIfUndecided)
          // Ending a failure gives the charge back first: two more asks' time.
          .thenCompose(end -> order().<Recorded>ask(r -> new FinishTopup(end, r), askTimeout.multipliedBy(3)))
          .thenApply(recorded -> true);
    }

    /** An undecided top-up joins the operators' queue before the order says so: a crash in between only repeats the join. */
    private CompletionStage<TopupEnd> reviewIfUndecided(TopupEnd end) {
      if (!(end instanceof EndUndecided undecided)) {
        return CompletableFuture.completedFuture(end);
      }
      String reason = "supplier " + undecided.supplierId() + " did not say whether it topped up (" + undecided.why() + ")";
      return sharding.entityRefFor(ReviewProtocol.TYPE_KEY, ReviewProtocol.ENTITY_ID)
          .<ReviewProtocol.Ack>ask(r -> new ReviewProtocol.Open(orderId, reason, r), askTimeout)
          .thenApply(ack -> end);
    }

    private static int indexOf(List<SupplierRouter.Route> routes, String supplierId) {
      for (int i = 0; i < routes.size(); i++) {
        if (routes.get(i).supplierId().equals(supplierId)) {
          return i;
        }
      }
      return -1;
    }

    private static TopupEnd end(Outcome outcome) {
      if (outcome instanceof Delivered d) {
        return new EndDelivered(d.supplierId(), d.supplierOrderId(), d.supplierReference());
      }
      if (outcome instanceof Undecided u) {
        return new EndUndecided(u.supplierId(), u.supplierOrderId(), u.why());
      }
      return new EndFailed(((AllFailed) outcome).reasons());
    }

    private EntityRef<OrderProtocol.Command> order() {
      return sharding.entityRefFor(OrderProtocol.TYPE_KEY, orderId);
    }
  }
}
