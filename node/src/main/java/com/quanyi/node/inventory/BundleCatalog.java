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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** A bundle's parts, asked of their inventories: whether they can make a bundle, and how many. */
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
  public CompletionStage<Optional<String>> refusal(SkuDefinition bundle) {
    return lookups(bundle).thenApply(found -> {
      for (int i = 0; i < found.size(); i++) {
        String partId = bundle.parts().get(i).skuId();
        if (!(found.get(i) instanceof Found part)) {
          return Optional.of("part " + partId + " is not a SKU");
        }
        SkuDefinition definition = part.sku().definition();
        if (definition.kind() != SkuKind.CARD_CODE) {
          // Top-up parts (run through suppliers, refunded part by part) are not built yet.
          return Optional.of("part " + partId + " is " + definition.kind() + "; a bundle's parts are CARD_CODE SKUs");
        }
        if (!definition.faceValue().sameCurrency(bundle.faceValue())) {
          return Optional.of("part " + partId + " is in " + definition.faceValue().currency() + ", the bundle in "
              + bundle.faceValue().currency());
        }
      }
      return Optional.empty();
    });
  }

  @Override
  public CompletionStage<StockView> stock(SkuDefinition bundle) {
    return lookups(bundle).thenApply(found -> new StockView(bundles(bundle.parts(), found), 0, 0));
  }

  /** Whole bundles the parts make now: the fewest over the parts of their available units ÷ the part's quantity. */
  public CompletionStage<Long> available(SkuDefinition bundle) {
    return lookups(bundle).thenApply(found -> bundles(bundle.parts(), found));
  }

  private static long bundles(List<BundlePart> parts, List<Lookup> found) {
    long bundles = Long.MAX_VALUE;
    for (int i = 0; i < parts.size(); i++) {
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
