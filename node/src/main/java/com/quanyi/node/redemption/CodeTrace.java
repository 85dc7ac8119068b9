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
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupFailed;
import com.quanyi.protocol.order.OrderProcessProtocol.TopupResolved;
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
 * redemptions, a refund that voided it) and the SKU's inventory (is its batch frozen now).
 */
public final class CodeTrace implements CodeTraceService {

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
    CompletableFuture<List<TraceEvent>> ordered = holder.thenCompose(held -> held.isEmpty()
        ? CompletableFuture.completedFuture(List.of())
        : orderEvents(held.get(), at));
    return CompletableFuture.allOf(batch, holder, frozen, ordered).thenApply(all -> {
      List<TraceEvent> events = new ArrayList<>();
      batch.join().ifPresent(b -> events.add(new TraceEvent(b.createdAt(), "IMPORTED", null, null, null, b.createdBy(),
          null, null, "batch " + b.batchId() + " from supplier " + b.supplierId())));
      holder.join().ifPresent(h -> events.add(new TraceEvent(h.deliveredAt(), "DELIVERED", h.orderId(), h.channelId(),
          null, null, null, null, null)));
      events.addAll(ordered.join());
      if (frozen.join()) {
        events.add(new TraceEvent(null, "FROZEN", null, null, null, null, null, null, "its batch is frozen now"));
      }
      events.sort(Comparator.comparing(TraceEvent::at, Comparator.nullsLast(Comparator.naturalOrder())));
      return new Trace(masked, at.skuId(), at.batchId(), List.copyOf(events));
    });
  }

  /** The redemptions of this code and a refund, from its order's journal. */
  private CompletableFuture<List<TraceEvent>> orderEvents(Holding held, Location at) {
    String persistenceId = PersistenceId.of(OrderProcessProtocol.TYPE_KEY.name(), held.orderId()).id();
    return Replies.on(dispatcher, journal.eventsOf(persistenceId).map(envelope -> envelope.event())
        .runWith(Sink.seq(), materializer)).thenApply(events -> {
          List<TraceEvent> steps = new ArrayList<>();
          for (Object event : events) {
            if (event instanceof CodeRedeemed r && r.batchId().equals(at.batchId()) && r.position() == at.position()) {
              steps.add(new TraceEvent(r.at(), "REDEEMED", held.orderId(), held.channelId(), r.verifierId(), null,
                  r.place(), r.amount(), r.remaining().amount() + " " + r.remaining().currency() + " left (minor units)"));
            } else if (event instanceof DeliveredRefunded refunded) {
              steps.add(new TraceEvent(refunded.at(), "VOIDED", held.orderId(), held.channelId(), null, refunded.actor(),
                  null, null, "its order was refunded: " + refunded.reason()));
            } else if (event instanceof TopupFailed failed) {
              // A code-holding order that tops up is a bundle: its top-up failing refunded it whole.
              steps.add(new TraceEvent(failed.at(), "VOIDED", held.orderId(), held.channelId(), null, null, null, null,
                  "its bundle's top-up failed and the bundle was refunded"));
            } else if (event instanceof TopupResolved resolved && resolved.status() == OrderStatus.FAILED) {
              steps.add(new TraceEvent(resolved.at(), "VOIDED", held.orderId(), held.channelId(), null,
                  resolved.actor(), null, null, "its bundle's top-up was resolved as failed and the bundle refunded"));
            }
          }
          return steps;
        });
  }
}
