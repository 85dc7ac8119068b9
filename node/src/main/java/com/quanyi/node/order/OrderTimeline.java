package com.quanyi.node.order;

import com.quanyi.http.order.OrderService;
import com.quanyi.http.order.OrderService.Timeline;
import com.quanyi.http.order.OrderService.TimelineEntry;
import com.quanyi.http.order.OrderService.TimelineOutcome;
import com.quanyi.node.Replies;
import com.quanyi.node.projection.JournalQueries;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.CodeRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewRejected;
import com.quanyi.protocol.order.OrderProcessProtocol.SupplierAttempted;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupDelivered;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupPartRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupUndecided;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * An order's life from its own journal. The order is looked up first, as its admin view does: a
 * card-code order delivered at once is recorded in its channel account's debit, and the order
 * entity writes that acceptance into its own journal when first asked about it.
 */
final class OrderTimeline {

  private final JournalQueries journal;
  private final Materializer materializer;
  private final Executor dispatcher;

  OrderTimeline(ActorSystem<?> system) {
    this.journal = JournalQueries.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.dispatcher = Replies.dispatcher(system);
  }

  CompletionStage<TimelineOutcome> of(String orderId, Function<String, CompletionStage<OrderService.Outcome>> lookup) {
    return lookup.apply(orderId).thenCompose(found -> {
      if (found instanceof OrderService.Refused refused) {
        return CompletableFuture.completedFuture(refused);
      }
      String persistenceId = PersistenceId.of(OrderProcessProtocol.TYPE_KEY.name(), orderId).id();
      return Replies.on(dispatcher, journal.eventsOf(persistenceId)
              .map(envelope -> entry((Event) envelope.event()))
              .runWith(Sink.seq(), materializer))
          .thenApply(entries -> new Timeline(orderId, List.copyOf(entries)));
    });
  }

  static TimelineEntry entry(Event event) {
    var status = OrderProcessProtocol.statusSetBy(event);
    if (event instanceof OrderAccepted e) {
      String held = e.review() == null ? "" : "; " + e.review();
      return new TimelineEntry(e.at(), "ACCEPTED", status, null,
          e.request().quantity() + " × " + e.request().skuId() + ", charged " + money(e.amount()) + held);
    }
    if (event instanceof ReviewApproved e) {
      return new TimelineEntry(e.at(), "REVIEW_APPROVED", status, e.actor(), null);
    }
    if (event instanceof ReviewRejected e) {
      return new TimelineEntry(e.at(), "REVIEW_REJECTED", status, e.actor(), e.why() + "; charge refunded");
    }
    if (event instanceof DeliveredRefunded e) {
      return new TimelineEntry(e.at(), "REFUNDED", status, e.actor(), e.reason());
    }
    if (event instanceof SupplierAttempted e) {
      return new TimelineEntry(e.at(), "SUPPLIER_ATTEMPTED", status, null, "supplier " + e.supplierId());
    }
    if (event instanceof TopupDelivered e) {
      return new TimelineEntry(e.at(), "TOPUP_DELIVERED", status, null, "supplier " + e.supplierId()
          + (e.skuId() == null ? "" : ", part " + e.skuId() + (e.ends() ? "" : "; the next part follows")));
    }
    if (event instanceof TopupFailed e) {
      return new TimelineEntry(e.at(), "TOPUP_FAILED", status, null, String.join("; ", e.reasons())
          + "; charge refunded");
    }
    if (event instanceof TopupPartRefunded e) {
      return new TimelineEntry(e.at(), "TOPUP_PART_REFUNDED", status, e.actor(), "part " + e.skuId() + ": "
          + String.join("; ", e.reasons()) + "; its share refunded, " + money(e.amount()));
    }
    if (event instanceof TopupResolved e) {
      return new TimelineEntry(e.at(), "TOPUP_RESOLVED", status, e.actor(), null);
    }
    if (event instanceof CodeRedeemed e) {
      // The code itself never: its place in stock names it.
      return new TimelineEntry(e.at(), "CODE_REDEEMED", status, null, "code " + e.batchId() + "#" + e.position()
          + ": " + money(e.amount()) + " by verifier " + e.verifierId() + (e.place() == null ? "" : " at " + e.place())
          + ", " + money(e.remaining()) + " left");
    }
    TopupUndecided e = (TopupUndecided) event;
    return new TimelineEntry(e.at(), "TOPUP_UNDECIDED", status, null, "supplier " + e.supplierId() + ": " + e.why());
  }

  private static String money(Money amount) {
    return amount == null ? "?" : BigDecimal.valueOf(amount.amount(), 2).toPlainString() + " " + amount.currency();
  }
}
