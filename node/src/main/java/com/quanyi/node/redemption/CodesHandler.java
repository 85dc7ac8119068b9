package com.quanyi.node.redemption;

import com.quanyi.node.Replies;
import com.quanyi.node.projection.OrderEvent;
import com.quanyi.persistence.redemption.CodeHolderStore;
import com.quanyi.persistence.redemption.CodeHolderStore.Holding;
import com.quanyi.persistence.redemption.CodeLineStore;
import com.quanyi.persistence.redemption.CodeLineStore.CodeLine;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.CodeRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderView;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderFound;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderLookup;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The codes projection's handler for one order tag, a group of events at a time: every delivery of
 * card codes (an acceptance delivered at once, or an approval after review) becomes the rows saying
 * which order holds those positions of the batch, and a delivery line; every redemption a
 * redemption line. Rows and lines are keyed by their event, so a replay writes the same rows. An
 * approval does not name its SKU: the order is asked (approvals are operators' decisions, few).
 */
public final class CodesHandler extends Handler<List<EventEnvelope<Object>>> {

  private final CodeHolderStore holders;
  private final CodeLineStore lines;
  private final String tag;
  private final int tags;
  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final Duration askTimeout;

  public CodesHandler(ActorSystem<?> system, CodeHolderStore holders, CodeLineStore lines, String tag, int tags,
      Duration askTimeout) {
    this.holders = holders;
    this.lines = lines;
    this.tag = tag;
    this.tags = tags;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<Object>> envelopes) {
    List<CompletableFuture<List<Holding>>> held = new ArrayList<>();
    List<CodeLine> redeemed = new ArrayList<>();
    for (OrderEvent event : OrderEvent.of(envelopes, tag, tags)) {
      String orderId = event.orderId();
      if (event.event() instanceof OrderAccepted accepted && accepted.deliversCodes()) {
        held.add(CompletableFuture.completedFuture(OrderView.of(accepted).held().stream()
            .flatMap(part -> holdings(part.skuId(), part.slots(), orderId, accepted.at()).stream()).toList()));
      } else if (event.event() instanceof ReviewApproved approved && approved.deliversCodes()
          && approved.parts() != null) {
        held.add(CompletableFuture.completedFuture(approved.parts().stream()
            .flatMap(part -> holdings(part.skuId(), part.slots(), orderId, approved.at()).stream()).toList()));
      } else if (event.event() instanceof ReviewApproved approved && approved.deliversCodes()) {
        held.add(Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId)
                .<OrderLookup>ask(GetOrder::new, askTimeout))
            .thenApply(lookup -> {
              if (!(lookup instanceof OrderFound found)) {
                throw new IllegalStateException("an approved order was not found: " + orderId);
              }
              return holdings(found.order().skuId(), approved.slots(), orderId, approved.at());
            }));
      } else if (event.event() instanceof CodeRedeemed r) {
        redeemed.add(new CodeLine(lines.days().dayOf(r.deliveredAt()), r.skuId(), r.batchId(), channelOf(orderId),
            CodeLineStore.REDEEMED, r.redemptionId(), r.remaining().amount() == 0 ? 1 : 0, r.amount().amount(),
            r.amount().currency(), orderId, r.deliveredAt(), r.at(), r.verifierId(), r.place()));
      }
    }
    return CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).thenCompose(all -> {
      List<Holding> holdings = held.stream().flatMap(h -> h.join().stream()).toList();
      List<CodeLine> written = new ArrayList<>(redeemed);
      holdings.forEach(h -> written.add(new CodeLine(lines.days().dayOf(h.deliveredAt()), h.skuId(), h.batchId(),
          h.channelId(), CodeLineStore.DELIVERED, h.orderId() + "#" + h.start(), h.count(), 0, null, h.orderId(),
          h.deliveredAt(), null, null, null)));
      return holders.write(holdings).thenCompose(done -> lines.write(written));
    }).thenApply(written -> Done.getInstance());
  }

  private static String channelOf(String orderId) {
    return orderId.substring(0, orderId.indexOf('~'));
  }

  private static List<Holding> holdings(String skuId, List<SlotRange> slots, String orderId, Instant at) {
    return slots.stream().map(r -> new Holding(skuId, r.batchId(), r.from(), r.count(), orderId, channelOf(orderId), at))
        .toList();
  }
}
