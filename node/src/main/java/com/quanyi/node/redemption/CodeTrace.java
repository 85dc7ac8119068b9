package com.quanyi.node.redemption;

import com.quanyi.http.redemption.CodeTraceService;
import com.quanyi.node.AskTimeout;
import com.quanyi.node.Replies;
import com.quanyi.node.projection.JournalQueries;
import com.quanyi.node.vault.VaultDesk;
import com.quanyi.persistence.redemption.CodeHolderStore;
import com.quanyi.persistence.redemption.CodeHolderStore.Holding;
import com.quanyi.persistence.vault.BatchRecord;
import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.FingerprintStore;
import com.quanyi.persistence.vault.FingerprintStore.Location;
import com.quanyi.persistence.vault.RevealedCode;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetBatch;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.CodeRedeemed;
import com.quanyi.protocol.order.OrderProcessProtocol.DeliveredRefunded;
import com.quanyi.protocol.order.OrderProcessProtocol.GetOrder;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderLookup;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewApproved;
import com.quanyi.protocol.inventory.SlotRange;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A code's life from what already records it: the vault's batch (imported by whom, from which
 * supplier), the codes projection (which order it was delivered in), that order's journal (its
 * allocation and buyer, its redemptions, a refund that voided it) and the SKU's inventory (is its
 * batch frozen now).
 */
public final class CodeTrace implements CodeTraceService {

  private static final List<String> LIFE = List.of("IMPORTED", "ALLOCATED", "DELIVERED", "REDEEMED", "VOIDED",
      "FROZEN");

  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final AskTimeout askTimeout;
  private final Materializer materializer;
  private final JournalQueries journal;
  private final VaultDesk vault;
  private volatile FingerprintStore fingerprints;
  private volatile CodeHolderStore holders;

  public CodeTrace(ActorSystem<?> system, VaultDesk vault, AskTimeout askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
    this.materializer = Materializer.matFromSystem(system);
    this.journal = JournalQueries.get(system);
    this.vault = vault;
  }

  public void ready(FingerprintStore fingerprintIndex, CodeHolderStore codeHolders) {
    this.fingerprints = fingerprintIndex;
    this.holders = codeHolders;
  }

  @Override
  public CompletionStage<Optional<Trace>> trace(String code) {
    Optional<CodeVault> codes = vault.vault();
    FingerprintStore index = fingerprints;
    CodeHolderStore holding = holders;
    if (codes.isEmpty() || index == null || holding == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the vault is not ready"));
    }
    String masked = RevealedCode.mask(code.strip());
    return Replies.on(dispatcher, index.locate(codes.get().fingerprint(code))).thenCompose(located -> located.isEmpty()
        ? CompletableFuture.completedFuture(Optional.empty())
        : traced(masked, located.get(), codes.get(), holding).thenApply(Optional::of));
  }

  private CompletionStage<Trace> traced(String masked, Location at, CodeVault codes, CodeHolderStore holding) {
    CompletableFuture<Optional<BatchRecord>> batch = Replies.on(dispatcher, codes.batchAsync(at.skuId(), at.batchId()));
    CompletableFuture<Optional<Holding>> holder = Replies.on(dispatcher,
        holding.holder(at.skuId(), at.batchId(), at.position()));
    CompletableFuture<Boolean> frozen = Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY,
            at.skuId()).<BatchLookup>ask(r -> new GetBatch(at.batchId(), r), askTimeout.now()))
        .thenApply(found -> found instanceof BatchFound b && b.batch().frozen());
    CompletableFuture<OrderSteps> ordered = holder.thenCompose(held -> held.isEmpty()
        ? CompletableFuture.completedFuture(new OrderSteps(List.of(), null))
        : orderSteps(held.get(), at));
    return CompletableFuture.allOf(batch, holder, frozen, ordered).thenApply(all -> {
      List<TraceEvent> events = new ArrayList<>();
      batch.join().ifPresent(b -> events.add(new TraceEvent(b.createdAt(), "IMPORTED", null, null, null, null,
          b.createdBy(), null, null, "batch " + b.batchId() + " from supplier " + b.supplierId())));
      String buyerId = ordered.join().buyerId();
      holder.join().ifPresent(h -> events.add(new TraceEvent(h.deliveredAt(), "DELIVERED", h.orderId(), h.channelId(),
          buyerId, null, null, null, null, null)));
      events.addAll(ordered.join().steps());
      if (frozen.join()) {
        events.add(new TraceEvent(null, "FROZEN", null, null, null, null, null, null, null, "its batch is frozen now"));
      }
      // A card order is allocated and delivered in the same instant (the projection keeps it to the
      // millisecond): the life's order breaks the tie.
      events.sort(Comparator.comparing((TraceEvent e) -> e.at() == null ? null : e.at().truncatedTo(ChronoUnit.MILLIS),
              Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(e -> LIFE.indexOf(e.kind())));
      return new Trace(masked, at.skuId(), at.batchId(), List.copyOf(events));
    });
  }

  /** What the order's journal says of the code, and whom the order was for (the channel's own user id). */
  private record OrderSteps(List<TraceEvent> steps, String buyerId) {}

  /**
   * The code's allocation, redemptions and a refund or failure that voided it, from its order's
   * journal. The order is asked first: a card order delivered at once is written in its own journal
   * only when first asked about (adopted from its account's record), and its acceptance names the buyer.
   */
  private CompletableFuture<OrderSteps> orderSteps(Holding held, Location at) {
    String persistenceId = PersistenceId.of(OrderProcessProtocol.TYPE_KEY.name(), held.orderId()).id();
    return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, held.orderId())
            .<OrderLookup>ask(GetOrder::new, askTimeout.now()))
        .thenCompose(asked -> Replies.on(dispatcher, journal.eventsOf(persistenceId).map(envelope -> envelope.event())
            .runWith(Sink.seq(), materializer)))
        .thenApply(events -> {
          List<TraceEvent> steps = new ArrayList<>();
          String buyerId = null;
          for (Object event : events) {
            if (event instanceof OrderAccepted accepted) {
              buyerId = accepted.request().buyer().userId();
              if (holds(accepted.slots(), at)) {
                steps.add(new TraceEvent(accepted.at(), "ALLOCATED", held.orderId(), held.channelId(), buyerId, null,
                    null, null, null, "with " + accepted.slots().stream().mapToLong(SlotRange::count).sum()
                        + " code(s) of the order"));
              }
            } else if (event instanceof ReviewApproved approved && holds(approved.slots(), at)) {
              steps.add(new TraceEvent(approved.at(), "ALLOCATED", held.orderId(), held.channelId(), buyerId, null,
                  approved.actor(), null, null, "when an operator approved the order risk control held"));
            } else if (event instanceof CodeRedeemed r && r.batchId().equals(at.batchId())
                && r.position() == at.position()) {
              steps.add(new TraceEvent(r.at(), "REDEEMED", held.orderId(), held.channelId(), null, r.verifierId(), null,
                  r.place(), r.amount(), r.remaining().amount() + " " + r.remaining().currency() + " left (minor units)"));
            } else if (event instanceof DeliveredRefunded refunded) {
              steps.add(new TraceEvent(refunded.at(), "VOIDED", held.orderId(), held.channelId(), null, null,
                  refunded.actor(), null, null, "its order was refunded: " + refunded.reason()));
            } else if (event instanceof TopupFailed failed) {
              // A code-holding order that tops up is a bundle: its top-up failing refunded it whole.
              steps.add(new TraceEvent(failed.at(), "VOIDED", held.orderId(), held.channelId(), null, null, null, null,
                  null, "its bundle's top-up failed and the bundle was refunded"));
            } else if (event instanceof TopupResolved resolved && resolved.status() == OrderStatus.FAILED) {
              steps.add(new TraceEvent(resolved.at(), "VOIDED", held.orderId(), held.channelId(), null, null,
                  resolved.actor(), null, null, "its bundle's top-up was resolved as failed and the bundle refunded"));
            }
          }
          return new OrderSteps(steps, buyerId);
        });
  }

  private static boolean holds(List<SlotRange> slots, Location at) {
    return slots != null && slots.stream().anyMatch(r -> r.batchId().equals(at.batchId()) && at.position() >= r.from()
        && at.position() < r.from() + r.count());
  }
}
