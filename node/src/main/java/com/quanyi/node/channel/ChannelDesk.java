package com.quanyi.node.channel;

import com.quanyi.node.AskTimeout;
import com.quanyi.node.Replies;
import com.quanyi.node.inventory.BundleCatalog;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.channel.ChannelService;
import com.quanyi.http.channel.SignedRequest;
import com.quanyi.node.callback.CallbackTargets;
import com.quanyi.persistence.channel.ChannelCredentialStore;
import com.quanyi.persistence.channel.ChannelCredentialStore.Stored;
import com.quanyi.persistence.vault.SealedSecrets;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelCredentials;
import com.quanyi.protocol.channel.ChannelDefinition;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountState;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelAlreadyExists;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelFound;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelView;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Deposit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetAccount;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetChannel;
import com.quanyi.protocol.channel.ChannelAccountProtocol.RegisterChannel;
import com.quanyi.protocol.channel.ChannelAccountProtocol.SetPrice;
import com.quanyi.protocol.channel.Product;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuKind;
import java.util.concurrent.Executor;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels over their entities: registration (keys generated here, the secret sealed before it
 * reaches the journal), deposits, prices, and authentication of signed partner requests.
 */
public final class ChannelDesk implements ChannelService {

  private static final Logger log = LoggerFactory.getLogger(ChannelDesk.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CURRENCY = "CNY";

  private final ClusterSharding sharding;

  /** Where the continuations of entity replies run (see Replies). */

  private final Executor dispatcher;
  private final SealedSecrets secrets;
  private final CallbackTargets callbackTargets;
  private final AskTimeout askTimeout;
  /**
   * Credentials by channel, the secret opened: a channel's key and secret never change once it is
   * registered, so a signature check asks its account once per node, not per request (which would
   * also wait behind the account's writes).
   */
  private final Map<String, Credential> credentials = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<Credential>>> lookups = new ConcurrentHashMap<>();

  private record Credential(String apiKey, String secret) {}

  /** The copies of channels' credentials in Cassandra, once it is reached (null before). */
  private volatile ChannelCredentialStore copies;
  private final SignatureCheck signatures;
  private final BundleCatalog bundles;

  /** @param nonceBuckets how many nonce registries each API key's nonces are spread over */
  public ChannelDesk(ActorSystem<?> system, SealedSecrets secrets, CallbackTargets callbackTargets,
      AskTimeout askTimeout, int nonceBuckets, BundleCatalog bundles) {
    this.bundles = bundles;
    this.signatures = new SignatureCheck(system, askTimeout, nonceBuckets);
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.secrets = secrets;
    this.callbackTargets = callbackTargets;
    this.askTimeout = askTimeout;
  }

  /** From now on credentials are copied to, and read from, Cassandra. */
  public void credentialsReady(ChannelCredentialStore store) {
    this.copies = store;
  }

  @Override
  public CompletionStage<Outcome<Credentials>> register(NewChannel request, String actor) {
    if (!Identifier.isValid(request.channelId())) {
      return refused(ProblemCode.INVALID_REQUEST, "channelId must be 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
    }
    if (request.parentChannelId() != null && !Identifier.isValid(request.parentChannelId())) {
      return refused(ProblemCode.INVALID_REQUEST, "parentChannelId must be 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
    }
    Optional<String> badCallback = Optional.ofNullable(request.callbackUrl()).flatMap(callbackTargets::refusal);
    if (badCallback.isPresent()) {
      return refused(ProblemCode.INVALID_REQUEST, badCallback.get());
    }
    CompletionStage<Integer> depth = request.parentChannelId() == null
        ? CompletableFuture.completedFuture(1)
        : Replies.on(dispatcher, channel(request.parentChannelId()).<ChannelReply>ask(GetChannel::new, askTimeout.now()))
            .thenApply(parent -> parent instanceof ChannelFound found ? found.channel().definition().depth() + 1 : -1);
    return depth.thenCompose(level -> {
      if (level < 0) {
        return refused(ProblemCode.INVALID_REQUEST, "parentChannelId names no channel");
      }
      if (level > ChannelDefinition.MAX_DEPTH) {
        return refused(ProblemCode.INVALID_REQUEST, "channels nest at most " + ChannelDefinition.MAX_DEPTH + " levels deep");
      }
      ChannelDefinition definition;
      try {
        definition = new ChannelDefinition(request.channelId(), request.name(), request.parentChannelId(), level,
            request.callbackUrl(), CURRENCY);
      } catch (IllegalArgumentException | NullPointerException e) {
        return refused(ProblemCode.INVALID_REQUEST, e.getMessage());
      }
      String apiKey = "qk." + definition.channelId() + "." + random(12);
      String apiSecret = "qs_" + random(32);
      ChannelCredentials credentials = new ChannelCredentials(apiKey, secrets.currentMasterKeyId(),
          secrets.seal(definition.channelId(), apiSecret));
      return Replies.on(dispatcher, channel(definition.channelId())
          .<ChannelReply>ask(r -> new RegisterChannel(definition, credentials, actor, r), askTimeout.now()))
          .thenCompose(reply -> reply instanceof ChannelFound found
              ? copied(definition.channelId(), found.credentials()).thenApply(copied -> reply)
              : CompletableFuture.completedFuture(reply))
          .thenApply(reply -> reply instanceof ChannelFound
              ? (Outcome<Credentials>) new Done<>(new Credentials(definition.channelId(), apiKey, apiSecret))
              : reply instanceof ChannelAlreadyExists
                  ? new Refused<>(ProblemCode.ALREADY_EXISTS, "channel " + definition.channelId() + " exists")
                  : new Refused<>(ProblemCode.INVALID_REQUEST, "the channel could not be registered"));
    });
  }

  @Override
  public CompletionStage<Outcome<ChannelView>> get(String channelId) {
    return Replies.on(dispatcher, channel(channelId).<ChannelReply>ask(GetChannel::new, askTimeout.now())).thenApply(ChannelDesk::view);
  }

  @Override
  public CompletionStage<Outcome<Money>> deposit(String channelId, String reference, Money amount, String actor) {
    return Replies.on(dispatcher, channel(channelId).<AccountReply>ask(r -> new Deposit(reference, amount, actor, r), askTimeout.now()))
        .thenApply(ChannelDesk::balanceOf);
  }

  @Override
  public CompletionStage<Outcome<ChannelView>> setPrice(String channelId, String skuId, Money price, Integer quota,
      String actor) {
    return Replies.on(dispatcher, channel(channelId).<ChannelReply>ask(r -> new SetPrice(skuId, price, quota, actor, r), askTimeout.now()))
        .thenApply(ChannelDesk::view);
  }

  @Override
  public CompletionStage<Outcome<Money>> balance(String channelId) {
    return Replies.on(dispatcher, channel(channelId).<AccountReply>ask(GetAccount::new, askTimeout.now())).thenApply(ChannelDesk::balanceOf);
  }

  @Override
  public CompletionStage<Outcome<List<Product>>> products(String channelId) {
    return Replies.on(dispatcher, channel(channelId).<ChannelReply>ask(GetChannel::new, askTimeout.now())).thenCompose(reply -> {
      if (!(reply instanceof ChannelFound found)) {
        return refused(ProblemCode.NOT_FOUND, "no such channel");
      }
      List<CompletableFuture<Optional<Product>>> lookups = new ArrayList<>();
      found.channel().prices().forEach((skuId, price) -> lookups.add(
          Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
              .<Lookup>ask(GetSku::new, askTimeout.now()))
              .thenCompose(lookup -> product(lookup, price.price()))
              .toCompletableFuture()));
      return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(done ->
          (Outcome<List<Product>>) new Done<>(lookups.stream().map(CompletableFuture::join).flatMap(Optional::stream)
              .sorted(Comparator.comparing(Product::skuId)).toList()));
    });
  }

  private CompletionStage<Optional<Product>> product(Lookup lookup, Money price) {
    if (!(lookup instanceof Found found) || !found.sku().definition().isListed()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    SkuDefinition sku = found.sku().definition();
    CompletionStage<Boolean> available = sku.isBundle() ? bundles.available(sku).thenApply(bundles -> bundles > 0)
        : CompletableFuture.completedFuture(sku.kind() != SkuKind.CARD_CODE || found.sku().stock().available() > 0);
    return available.thenApply(inStock -> Optional.of(new Product(sku.skuId(), sku.name(), sku.kind(), sku.faceValue(),
        price, inStock)));
  }

  @Override
  public CompletionStage<Outcome<String>> authenticate(SignedRequest request, String canonical) {
    String[] parts = request.apiKey().split("\\.");
    if (parts.length != 3 || !parts[0].equals("qk") || !Identifier.isValid(parts[1])) {
      return refused(ProblemCode.UNAUTHENTICATED, "unknown API key");
    }
    String channelId = parts[1];
    return credential(channelId).thenCompose(credential -> {
      if (credential.isEmpty() || !credential.get().apiKey().equals(request.apiKey())) {
        return refused(ProblemCode.UNAUTHENTICATED, "unknown API key");
      }
      return signatures.check(request, canonical, credential.get().secret(), channelId);
    });
  }

  /**
   * The channel's credentials: from this node's memory, else from the copy in Cassandra, else (a
   * channel registered before the copy existed, or whose copy a crash cut off) from its account,
   * which then gets its copy. Any node checks a known channel's signatures with its account down.
   */
  private CompletionStage<Optional<Credential>> credential(String channelId) {
    Credential known = credentials.get(channelId);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    // One look-up per channel at a time: a burst of a channel's first requests reads once.
    CompletableFuture<Optional<Credential>> pending = new CompletableFuture<>();
    CompletableFuture<Optional<Credential>> earlier = lookups.putIfAbsent(channelId, pending);
    if (earlier != null) {
      return earlier;
    }
    lookUp(channelId).whenComplete((found, failure) -> {
      lookups.remove(channelId, pending);
      if (failure != null) {
        pending.completeExceptionally(failure);
      } else {
        pending.complete(found);
      }
    });
    return pending;
  }

  private CompletionStage<Optional<Credential>> lookUp(String channelId) {
    ChannelCredentialStore copies = this.copies;
    CompletionStage<Optional<Stored>> copy = copies == null
        ? CompletableFuture.completedFuture(Optional.empty())
        : copies.find(channelId).exceptionally(unreadable -> Optional.empty());
    return copy.thenCompose(found -> found.isPresent()
        ? CompletableFuture.completedFuture(Optional.of(opened(channelId, found.get())))
        : Replies.on(dispatcher, channel(channelId).<ChannelReply>ask(GetChannel::new, askTimeout.now())).thenCompose(reply -> {
          if (!(reply instanceof ChannelFound account)) {
            return CompletableFuture.completedFuture(Optional.<Credential>empty());
          }
          return copied(channelId, account.credentials())
              .thenApply(copied -> Optional.of(opened(channelId, stored(account.credentials()))));
        }));
  }

  private Credential opened(String channelId, Stored stored) {
    return credentials.computeIfAbsent(channelId, id -> new Credential(stored.apiKey(),
        secrets.open(id, stored.masterKeyId(), stored.sealedSecret())));
  }

  /** Writes the channel's copy; a failure leaves it to the next node that misses it (never fails the caller). */
  private CompletionStage<Void> copied(String channelId, ChannelCredentials registered) {
    ChannelCredentialStore copies = this.copies;
    if (copies == null) {
      return CompletableFuture.completedFuture(null);
    }
    return copies.put(channelId, stored(registered)).exceptionally(failure -> {
      log.warn("Could not copy channel {}'s credentials to Cassandra: {}", channelId, failure.toString());
      return null;
    });
  }

  private static Stored stored(ChannelCredentials registered) {
    return new Stored(registered.apiKey(), registered.masterKeyId(), registered.sealedSecret());
  }

  private static Outcome<ChannelView> view(ChannelReply reply) {
    if (reply instanceof ChannelFound found) {
      return new Done<>(found.channel());
    }
    if (reply instanceof ChannelAccountProtocol.ChannelRefused refused) {
      return new Refused<>(ProblemCode.INVALID_REQUEST, refused.reason());
    }
    return new Refused<>(ProblemCode.NOT_FOUND, "no such channel");
  }

  private static Outcome<Money> balanceOf(AccountReply reply) {
    if (reply instanceof AccountState state) {
      return new Done<>(state.account().balance());
    }
    if (reply instanceof ChannelAccountProtocol.AccountRefused refused) {
      return new Refused<>(ProblemCode.INVALID_REQUEST, refused.reason());
    }
    return new Refused<>(ProblemCode.NOT_FOUND, "no such channel");
  }

  private EntityRef<ChannelAccountProtocol.Command> channel(String channelId) {
    return sharding.entityRefFor(ChannelAccountProtocol.TYPE_KEY, channelId);
  }

  private static <T> CompletionStage<Outcome<T>> refused(ProblemCode code, String detail) {
    return CompletableFuture.completedFuture(new Refused<>(code, detail));
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
