package com.quanyi.node.order;

import com.quanyi.node.Replies;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debited;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.TopupFailure;
import com.quanyi.protocol.order.OrderProcessProtocol.FlowOutcome;
import com.quanyi.protocol.order.OrderProcessProtocol.PartSlots;
import com.quanyi.protocol.order.OrderProcessProtocol.Refused;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import com.quanyi.protocol.order.RefusalReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The placement steps of a bundle with top-up parts, run by its order entity (an order with a
 * recharge account is placed there): every top-up part's SKU must take the account, the card-code
 * parts are allocated all or none, the top-up's driver is started before the charge (as for any
 * top-up: someone refunds the charge if the node dies before the order is written), then the
 * bundle's price is charged once. The order is written PROCESSING with the card parts' codes (or
 * REVIEW, keeping none, when risk control holds it: approval allocates the parts again); its
 * driver tops the parts' SKUs up one after another, and the bundle is DELIVERED when all succeed;
 * a part that fails refunds its share ({@link PartShare}) and the bundle ends PARTLY_DELIVERED, or,
 * by the policy of a bundle with one top-up part, FAILED with the whole charge refunded and its codes
 * void.
 */
final class BundleTopups {

  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final Duration askTimeout;
  private final BundleParts parts;

  BundleTopups(ClusterSharding sharding, Executor dispatcher, Duration askTimeout) {
    this.sharding = sharding;
    this.dispatcher = dispatcher;
    this.askTimeout = askTimeout;
    this.parts = new BundleParts(sharding, dispatcher, () -> askTimeout);
  }

  CompletionStage<FlowOutcome> started(OrderRequest request, Money amount, String review, SkuDefinition bundle) {
    List<String> topups = bundle.parts().stream().filter(BundlePart::topup).map(BundlePart::skuId).toList();
    if (!bundle.isListed()) {
      return refused(RefusalReason.SKU_UNAVAILABLE, "SKU " + bundle.skuId() + " is not listed");
    }
    if (topups.isEmpty()) {
      return refused(RefusalReason.INVALID_REQUEST, "SKU " + bundle.skuId()
          + " is delivered as card codes; send no rechargeAccount");
    }
    // Every top-up part must be listed and take the buyer's one recharge account.
    List<CompletableFuture<SkuInventoryProtocol.Lookup>> lookups = topups.stream()
        .map(sku -> Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, sku)
            .<SkuInventoryProtocol.Lookup>ask(SkuInventoryProtocol.GetSku::new, askTimeout)))
        .toList();
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenCompose(all -> {
      for (int i = 0; i < topups.size(); i++) {
        Optional<Refused> refusal = TopupRules.refusal(lookups.get(i).join(), topups.get(i), request);
        if (refusal.isPresent()) {
          return refused(refusal.get().reason(), refusal.get().detail());
        }
      }
      return parts.allocated(request, bundle.parts()).thenCompose(allocated -> allocated.holding()
          .map(holding -> charged(request, amount, bundle, holding, review))
          .orElseGet(() -> refused(allocated.refusal().reason(), allocated.refusal().detail())));
    });
  }

  /**
   * {@code review}: why risk control holds the order (null: it does not); a held bundle is written
   * REVIEW keeping none of the parts' units, and approval allocates them again and tops up.
   */
  private CompletionStage<FlowOutcome> charged(OrderRequest request, Money amount, SkuDefinition bundle,
      Holding holding, String review) {
    return Replies.on(dispatcher, sharding.entityRefFor(TopupProcess.TYPE_KEY, request.orderId())
            .<TopupProcess.Started>ask(TopupProcess.Start::new, askTimeout))
        .thenCompose(started -> Replies.on(dispatcher, sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY,
                request.channelId())
            .<DebitReply>ask(r -> new Debit(request.orderId(), amount, request.skuId(), request.quantity(), r),
                askTimeout)))
        .thenCompose(debit -> {
          if (debit instanceof Debited) {
            return ReviewQueue.openedIfHeld(sharding, dispatcher, askTimeout, request.orderId(), new FlowOutcome(
                holding.slots(), amount, null, null, review == null ? OrderStatus.PROCESSING : OrderStatus.REVIEW,
                review, holding.cost(), inBundleOrder(bundle.parts(), holding, amount)));
          }
          Refused why = Refusals.of(debit, request, amount);
          return parts.released(request.orderId(), holding.allocatedHere().stream().map(Holding.Held::skuId).toList())
              .thenApply(released -> new FlowOutcome(List.of(), null, why.reason(), why.detail()));
        });
  }

  /**
   * The parts as the bundle names them: each card part with its units, the top-up part with none
   * and, when its policy refunds only its share, that share of {@code amount} (fixed now: a later
   * change of the bundle's policy or parts does not change this order).
   */
  static List<PartSlots> inBundleOrder(List<BundlePart> bundle, Holding holding, Money amount) {
    List<PartSlots> parts = new ArrayList<>();
    for (BundlePart part : bundle) {
      if (part.topup()) {
        Money share = part.onFailure() == TopupFailure.REFUND_PART
            ? PartShare.of(bundle, part, amount).orElse(null) : null;
        parts.add(new PartSlots(part.skuId(), List.of(), share));
      } else {
        parts.add(new PartSlots(part.skuId(), holding.held().stream()
            .filter(h -> h.skuId().equals(part.skuId())).findFirst().orElseThrow().allocated().slots()));
      }
    }
    return parts;
  }

  private static CompletionStage<FlowOutcome> refused(RefusalReason reason, String detail) {
    return CompletableFuture.completedFuture(new FlowOutcome(List.of(), null, reason, detail));
  }
}
