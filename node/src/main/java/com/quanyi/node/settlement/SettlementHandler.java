package com.quanyi.node.settlement;

import com.quanyi.node.Replies;
import com.quanyi.node.projection.OrderEvent;
import com.quanyi.node.projection.ReportingProjections;
import com.quanyi.persistence.reporting.SettlementOrder;
import com.quanyi.persistence.reporting.SettlementStore;
import com.quanyi.persistence.reporting.Stages;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetChannel;
import com.quanyi.protocol.commission.CommissionBookProtocol;
import com.quanyi.protocol.commission.CommissionBookProtocol.History;
import com.quanyi.protocol.commission.CommissionRule;
import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import java.util.concurrent.Executor;
import java.time.Duration;
import java.time.Instant;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.reporting.CommissionEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The settlement projection's handler for one order tag, a group of events at a time written as
 * one logged batch. An event at or below the sequence number
 * the order's settlement row carries is a replay and skipped. Two things come from entities, both
 * safe to cache: a channel's parent (fixed when the channel is registered) and the commission
 * book's history (versions are only added; it is read again once an event is newer than the copy).
 */
public final class SettlementHandler extends Handler<List<EventEnvelope<Object>>> {

  private final SettlementStore store;
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final Duration askTimeout;
  private final Map<String, Optional<String>> parents = new ConcurrentHashMap<>();
  private volatile History history = new History(List.of(), Instant.EPOCH);
  private final String tag;
  private final int tags;

  public SettlementHandler(ActorSystem<?> system, SettlementStore store, Duration askTimeout, String tag, int tags) {
    this.store = store;
    this.tag = tag;
    this.tags = tags;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  /**
   * Only orders of channels that have a parent accrue commission: the others' events are skipped
   * before anything is read (a channel's parent never changes, so an order of a top-level channel
   * never has anything to accrue or reverse).
   */
  @Override
  public CompletionStage<Done> process(List<EventEnvelope<Object>> envelopes) {
    List<OrderEvent> events = OrderEvent.of(envelopes, tag, tags);
    Set<String> channels = new LinkedHashSet<>();
    events.forEach(e -> channels.add(channelOf(e.orderId())));
    List<CompletionStage<Optional<String>>> lookups = channels.stream().map(this::parent).toList();
    return Stages.sequence(lookups).thenCompose(known -> {
      List<OrderEvent> accruing = events.stream()
          .filter(e -> parents.get(channelOf(e.orderId())).isPresent()).toList();
      // One account event can accept more orders than one batch should carry: a write per slice.
      CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
      for (List<OrderEvent> slice : OrderEvent.slices(accruing, ReportingProjections.GROUP)) {
        done = done.thenCompose(previous -> settled(slice));
      }
      return done;
    });
  }

  private CompletionStage<Done> settled(List<OrderEvent> events) {
    Set<String> orderIds = new LinkedHashSet<>();
    events.forEach(e -> orderIds.add(e.orderId()));
    return store.orders(orderIds).thenCompose(stored -> {
      Map<String, SettlementOrder> current = new HashMap<>(stored);
      Map<String, SettlementOrder> changed = new LinkedHashMap<>();
      List<CommissionEntry> entries = new ArrayList<>();
      CompletionStage<Void> applied = CompletableFuture.completedFuture(null);
      for (OrderEvent event : events) {
        applied = applied.thenCompose(previous -> apply(event, current, changed, entries));
      }
      return applied.thenCompose(done -> changed.isEmpty() ? CompletableFuture.completedFuture(Done.getInstance())
          : store.write(List.copyOf(changed.values()), entries).thenApply(written -> Done.getInstance()));
    });
  }

  /** Applies one event to the group's working rows (in order: one order's events build on each other). */
  private CompletionStage<Void> apply(OrderEvent orderEvent, Map<String, SettlementOrder> current,
      Map<String, SettlementOrder> changed, List<CommissionEntry> entries) {
    String orderId = orderEvent.orderId();
    SettlementOrder before = current.get(orderId);
    if (before != null && before.seq() >= orderEvent.seq()) {
      return CompletableFuture.completedFuture(null);
    }
    Event event = orderEvent.event();
    Optional<Instant> delivered = SettlementLogic.deliveredAt(event);
    boolean needsTree = delivered.isPresent() || event instanceof DeliveredRefunded;
    CompletionStage<List<String>> ancestors = needsTree
        ? ancestors(channelOf(orderId), new ArrayList<>())
        : CompletableFuture.completedFuture(List.of());
    CompletionStage<History> rules = delivered.isPresent() ? historyAt(delivered.get())
        : CompletableFuture.completedFuture(history);
    return ancestors.thenCombine(rules, (up, book) -> {
      SettlementLogic.Effect effect = SettlementLogic.apply(before, event, orderEvent.seq(), up,
          delivered.map(book::inForceAt).orElse(null));
      if (effect.after() != null) {
        current.put(orderId, effect.after());
        changed.put(orderId, effect.after());
        entries.addAll(effect.entries());
      }
      return null;
    });
  }

  private static String channelOf(String orderId) {
    return orderId.substring(0, orderId.indexOf('~'));
  }

  /** The buying channel's parent, then that one's parent: at most {@link CommissionRule#MAX_LEVEL}. */
  private CompletionStage<List<String>> ancestors(String channelId, List<String> found) {
    if (found.size() == CommissionRule.MAX_LEVEL) {
      return CompletableFuture.completedFuture(found);
    }
    return parent(channelId).thenCompose(parent -> {
      if (parent.isEmpty()) {
        return CompletableFuture.completedFuture(found);
      }
      found.add(parent.get());
      return ancestors(parent.get(), found);
    });
  }

  private CompletionStage<Optional<String>> parent(String channelId) {
    Optional<String> known = parents.get(channelId);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId)
        .<ChannelReply>ask(GetChannel::new, askTimeout))
        .thenApply(reply -> {
          if (!(reply instanceof ChannelFound channel)) {
            throw new IllegalStateException("an order names a channel that is not registered");
          }
          Optional<String> parent = Optional.ofNullable(channel.channel().definition().parentChannelId());
          parents.put(channelId, parent);
          return parent;
        });
  }

  /** The book's history, read again when the copy is older than {@code at}. */
  private CompletionStage<History> historyAt(Instant at) {
    if (at.isBefore(history.asOf())) {
      return CompletableFuture.completedFuture(history);
    }
    return Replies.on(dispatcher, sharding.entityRefFor(CommissionBookProtocol.TYPE_KEY, CommissionBookProtocol.ENTITY_ID)
        .<History>ask(CommissionBookProtocol.GetHistory::new, askTimeout))
        .thenApply(read -> {
          history = read;
          return read;
        });
  }
}
