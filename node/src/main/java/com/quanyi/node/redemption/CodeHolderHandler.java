package com.quanyi.node.redemption;

import com.quanyi.node.Replies;
import com.quanyi.node.projection.OrderEvent;
import com.quanyi.persistence.redemption.CodeHolderStore;
import com.quanyi.persistence.redemption.CodeHolderStore.Holding;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderFound;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderLookup;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import com.quanyi.protocol.order.OrderStatus;
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
 * The codes projection's handler for one order tag: every delivery of card codes (an acceptance
 * delivered at once, or an approval after review) becomes the rows saying which order holds those
 * positions of the batch, written together for a group of events. Rows are the same however often
 * an event is applied, so a replay needs no check. An approval does not name its SKU: the order is
 * asked (approvals are operators' decisions, few).
 */
public final class CodeHolderHandler extends Handler<List<EventEnvelope<Object>>> {

  private final CodeHolderStore store;
  private final String tag;
  private final int tags;
  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final Duration askTimeout;

  public CodeHolderHandler(ActorSystem<?> system, CodeHolderStore store, String tag, int tags, Duration askTimeout) {
    this.store = store;
    this.tag = tag;
    this.tags = tags;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<Object>> envelopes) {
    List<CompletableFuture<List<Holding>>> held = new ArrayList<>();
    for (OrderEvent event : OrderEvent.of(envelopes, tag, tags)) {
      String orderId = event.orderId();
      if (event.event() instanceof OrderAccepted accepted && delivered(accepted.status())) {
        held.add(CompletableFuture.completedFuture(holdings(accepted.request().skuId(), accepted.slots(), orderId,
            accepted.at())));
      } else if (event.event() instanceof ReviewApproved approved && approved.status() == OrderStatus.DELIVERED
          && !approved.slots().isEmpty()) {
        held.add(Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, orderId)
                .<OrderLookup>ask(GetOrder::new, askTimeout))
            .thenApply(lookup -> {
              if (!(lookup instanceof OrderFound found)) {
                throw new IllegalStateException("an approved order was not found: " + orderId);
              }
              return holdings(found.order().skuId(), approved.slots(), orderId, approved.at());
            }));
      }
    }
    return CompletableFuture.allOf(held.toArray(CompletableFuture[]::new))
        .thenCompose(all -> store.write(held.stream().flatMap(h -> h.join().stream()).toList()))
        .thenApply(written -> Done.getInstance());
  }

  private static boolean delivered(OrderStatus status) {
    return status == null || status == OrderStatus.DELIVERED;
  }

  private static List<Holding> holdings(String skuId, List<SlotRange> slots, String orderId, Instant at) {
    String channelId = orderId.substring(0, orderId.indexOf('~'));
    return slots.stream().map(r -> new Holding(skuId, r.batchId(), r.from(), r.count(), orderId, channelId, at))
        .toList();
  }
}
