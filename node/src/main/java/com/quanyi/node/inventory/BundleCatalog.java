package com.quanyi.node.inventory;

import com.quanyi.http.inventory.BundleService;
import com.quanyi.node.AskTimeout;
import com.quanyi.node.Replies;
import com.quanyi.protocol.inventory.BundlePart;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.inventory.StockView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** A bundle's parts, asked of their inventories: what they are, whether they can make a bundle, and how many. */
public final class BundleCatalog implements BundleService {

  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final AskTimeout askTimeout;

  public BundleCatalog(ActorSystem<?> system, AskTimeout askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Resolution> resolved(SkuDefinition bundle) {
    return lookups(bundle).thenApply(found -> {
      List<BundlePart> parts = new ArrayList<>();
      for (int i = 0; i < found.size(); i++) {
        BundlePart part = bundle.parts().get(i);
        if (!(found.get(i) instanceof Found known)) {
          return refused("part " + part.skuId() + " is not a SKU");
        }
        SkuDefinition definition = known.sku().definition();
        if (definition.isBundle()) {
          return refused("part " + part.skuId() + " is a bundle; a bundle's parts are CARD_CODE or DIRECT_TOPUP SKUs");
        }
        if (!definition.faceValue().sameCurrency(bundle.faceValue())) {
          return refused("part " + part.skuId() + " is in " + definition.faceValue().currency() + ", the bundle in "
              + bundle.faceValue().currency());
        }
        try {
          parts.add(part.of(definition.kind(), definition.faceValue()));
        } catch (IllegalArgumentException e) {
          return refused(e.getMessage());
        }
      }
      try {
        return new Resolution(bundle.withParts(parts), null);
      } catch (IllegalArgumentException e) {
        return refused(e.getMessage());
      }
    });
  }

  private static Resolution refused(String why) {
    return new Resolution(null, why);
  }

  @Override
  public CompletionStage<StockView> stock(SkuDefinition bundle) {
    return lookups(bundle).thenApply(found -> new StockView(bundles(bundle.parts(), found), 0, 0));
  }

  /** Whole bundles the parts make now: the fewest over the parts of their available units ÷ the part's quantity. */
  public CompletionStage<Long> available(SkuDefinition bundle) {
    return lookups(bundle).thenApply(found -> bundles(bundle.parts(), found));
  }

  /** A top-up part is not counted: it has no stock (its suppliers decide, when the bundle is ordered). */
  private static long bundles(List<BundlePart> parts, List<Lookup> found) {
    long bundles = Long.MAX_VALUE;
    for (int i = 0; i < parts.size(); i++) {
      if (found.get(i) instanceof Found part && part.sku().definition().kind() == SkuKind.DIRECT_TOPUP) {
        continue;
      }
      long available = found.get(i) instanceof Found part && part.sku().definition().isListed()
          ? part.sku().stock().available() : 0;
      bundles = Math.min(bundles, available / parts.get(i).quantity());
    }
    return bundles == Long.MAX_VALUE ? 0 : bundles;
  }

  private CompletionStage<List<Lookup>> lookups(SkuDefinition bundle) {
    List<CompletableFuture<Lookup>> lookups = bundle.parts().stream()
        .map(part -> Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, part.skuId())
            .<Lookup>ask(GetSku::new, askTimeout.now())))
        .toList();
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(all -> lookups.stream().map(CompletableFuture::join).toList());
  }
}
