package com.quanyi.node.order;

import com.quanyi.node.Replies;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocated;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Allocation;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Release;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Releasing;
import com.quanyi.protocol.order.OrderProcessProtocol.Refused;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.RefusalReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Allocates a benefit bundle's parts, all or none: every part's inventory is asked at once for the
 * part's units × the bundle quantity under the order id; if any part refuses, the parts that
 * allocated are given back before the order is answered. A part that did not answer is left to its
 * inventory's reconciliation (it asks the order, which was never accepted, and releases): giving it
 * back blindly could free units a racing placement of the same order holds.
 */
final class BundleParts {

  /** Every part held ({@code holding}), or why not ({@code refusal}); nothing is held then. */
  record Outcome(Optional<Holding> holding, Refused refusal) {}

  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final Supplier<Duration> askTimeout;

  BundleParts(ClusterSharding sharding, Executor dispatcher, Supplier<Duration> askTimeout) {
    this.sharding = sharding;
    this.dispatcher = dispatcher;
    this.askTimeout = askTimeout;
  }

  /** Allocates the card-code parts among {@code bundleParts} (a top-up part holds no units). */
  CompletionStage<Outcome> allocated(OrderRequest request, List<BundlePart> bundleParts) {
    List<BundlePart> parts = bundleParts.stream().filter(p -> !p.topup()).toList();
    String buyer = request.channelId() + "/" + request.buyer().userId();
    List<CompletableFuture<Allocation>> answers = new ArrayList<>();
    for (BundlePart part : parts) {
      int units = part.quantity() * request.quantity();
      answers.add(Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, part.skuId())
              .<Allocation>ask(r -> new Allocate(request.orderId(), units, buyer, r), askTimeout.get()))
          .exceptionally(noAnswer -> null));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenCompose(all -> {
      List<Holding.Held> held = new ArrayList<>();
      Refused refusal = null;
      for (int i = 0; i < parts.size(); i++) {
        Allocation answer = answers.get(i).join();
        if (answer instanceof Allocated allocated) {
          held.add(new Holding.Held(parts.get(i).skuId(), allocated));
        } else if (refusal == null) {
          refusal = refusal(request, parts.get(i), answer);
        }
      }
      if (refusal == null) {
        return CompletableFuture.completedFuture(new Outcome(Optional.of(Holding.ofBundle(held)), null));
      }
      Refused why = refusal;
      return released(request.orderId(), Holding.ofBundle(held).allocatedHere().stream()
          .map(Holding.Held::skuId).toList()).thenApply(done -> new Outcome(Optional.empty(), why));
    });
  }

  /** Gives back what the order holds at each of these SKUs; done when every inventory answered (or did not). */
  CompletionStage<Object> released(String orderId, List<String> skuIds) {
    CompletableFuture<?>[] releases = skuIds.stream()
        .map(skuId -> Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
                .<Releasing>ask(r -> new Release(orderId, r), askTimeout.get()))
            .exceptionally(noAnswer -> null))
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(releases).thenApply(done -> (Object) done);
  }

  private static Refused refusal(OrderRequest request, BundlePart part, Allocation answer) {
    if (answer == null) {
      return new Refused(RefusalReason.UNAVAILABLE, "part " + part.skuId()
          + " of the bundle did not answer; retry the same request");
    }
    if (answer instanceof OutOfStock) {
      return new Refused(RefusalReason.OUT_OF_STOCK, "not enough stock of part " + part.skuId() + " for "
          + request.quantity() + " bundle(s)");
    }
    Refused refused = Refusals.of(answer, request);
    return new Refused(refused.reason(), "part " + part.skuId() + " of the bundle: " + refused.detail());
  }
}
