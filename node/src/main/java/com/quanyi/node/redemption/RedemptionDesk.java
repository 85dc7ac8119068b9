package com.quanyi.node.redemption;

import com.quanyi.http.ProblemCode;
import com.quanyi.http.channel.ChannelService;
import com.quanyi.http.redemption.RedemptionService;
import com.quanyi.node.AskTimeout;
import com.quanyi.node.Replies;
import com.quanyi.node.vault.VaultDesk;
import com.quanyi.persistence.redemption.CodeHolderStore;
import com.quanyi.persistence.redemption.CodeHolderStore.Holding;
import com.quanyi.persistence.vault.CodeVault;
import com.quanyi.persistence.vault.FingerprintStore;
import com.quanyi.persistence.vault.FingerprintStore.Location;
import com.quanyi.persistence.vault.RevealedCode;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.BatchView;
import com.quanyi.protocol.inventory.SkuDefinition;
import com.quanyi.protocol.inventory.SkuInventoryProtocol;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchFound;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.BatchLookup;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Found;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetBatch;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.SkuInventoryProtocol.Lookup;
import com.quanyi.protocol.inventory.SkuKind;
import com.quanyi.protocol.order.OrderProcessProtocol;
import com.quanyi.protocol.order.OrderProcessProtocol.NotRedeemable;
import com.quanyi.protocol.order.OrderProcessProtocol.Redeem;
import com.quanyi.protocol.order.OrderProcessProtocol.RedeemAnswer;
import com.quanyi.protocol.redemption.GuessGuardProtocol;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Admission;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Admit;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Blocked;
import com.quanyi.protocol.redemption.GuessGuardProtocol.Missed;
import com.quanyi.http.redemption.VerifierService;
import com.quanyi.http.redemption.VerifierService.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Redemption over the vault's fingerprint index, the codes projection's record of who holds each
 * delivered code, the SKU's inventory (is the batch frozen?) and the order, which decides. Every
 * answer waits at least the answer floor (an unknown code answers as slowly as a known one), and
 * longer for a verifier or address that missed many codes; one that missed too many is refused.
 */
public final class RedemptionDesk implements RedemptionService {

  /** A SKU's face value and kind: neither ever changes, so each node asks once. */
  private record Catalogued(SkuKind kind, Money faceValue) {}

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final AskTimeout askTimeout;
  private final VaultDesk vault;
  private final VerifierService verifiers;
  private final RedemptionSettings settings;
  private final Clock clock;
  private final Map<String, Catalogued> skus = new ConcurrentHashMap<>();
  private volatile FingerprintStore fingerprints;
  private volatile CodeHolderStore holders;

  public RedemptionDesk(ActorSystem<?> system, VaultDesk vault, VerifierService verifiers, AskTimeout askTimeout,
      RedemptionSettings settings, Clock clock) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
    this.vault = vault;
    this.verifiers = verifiers;
    this.settings = settings;
    this.clock = clock;
  }

  public void ready(FingerprintStore fingerprintIndex, CodeHolderStore codeHolders) {
    this.fingerprints = fingerprintIndex;
    this.holders = codeHolders;
  }

  @Override
  public CompletionStage<Outcome> redeem(Attempt attempt) {
    return guarded(attempt, false);
  }

  @Override
  public CompletionStage<Outcome> check(Attempt attempt) {
    return guarded(attempt, true);
  }

  private CompletionStage<Outcome> guarded(Attempt attempt, boolean dryRun) {
    long started = System.nanoTime();
    return admission(attempt).thenCompose(admitted -> {
      if (admitted instanceof Blocked blocked) {
        return CompletableFuture.completedFuture((Outcome) new Refused(ProblemCode.OVERLOADED,
            "too many codes not found from this verifier or address; retry later", blocked.seconds()));
      }
      long delay = ((GuessGuardProtocol.Admitted) admitted).delayMillis();
      CompletionStage<Outcome> answered = find(attempt, dryRun).thenApply(outcome -> {
        if (outcome instanceof Refused refused && refused.code() == ProblemCode.NOT_FOUND) {
          missed(attempt);
        }
        return outcome;
      });
      return answered.thenCompose(outcome -> notBefore(started, settings.answerFloor().plusMillis(delay), outcome));
    });
  }

  /** The stricter of the verifier's and the address's guards. */
  private CompletionStage<Admission> admission(Attempt attempt) {
    CompletableFuture<Admission> byVerifier = admit(GuessGuardProtocol.verifier(attempt.verifierId()));
    CompletableFuture<Admission> byAddress = admit(GuessGuardProtocol.address(attempt.clientIp()));
    return byVerifier.thenCombine(byAddress, (v, a) -> {
      if (v instanceof Blocked bv && a instanceof Blocked ba) {
        return bv.seconds() >= ba.seconds() ? v : a;
      }
      if (v instanceof Blocked || a instanceof Blocked) {
        return v instanceof Blocked ? v : a;
      }
      return ((GuessGuardProtocol.Admitted) v).delayMillis() >= ((GuessGuardProtocol.Admitted) a).delayMillis() ? v : a;
    });
  }

  private CompletableFuture<Admission> admit(String subject) {
    return Replies.on(dispatcher, sharding.entityRefFor(GuessGuardProtocol.TYPE_KEY, subject)
        .<Admission>ask(Admit::new, askTimeout.now()));
  }

  private void missed(Attempt attempt) {
    sharding.entityRefFor(GuessGuardProtocol.TYPE_KEY, GuessGuardProtocol.verifier(attempt.verifierId()))
        .tell(new Missed());
    sharding.entityRefFor(GuessGuardProtocol.TYPE_KEY, GuessGuardProtocol.address(attempt.clientIp()))
        .tell(new Missed());
  }

  /** {@code outcome}, once at least {@code floor} has passed since {@code startedNanos}. */
  private CompletionStage<Outcome> notBefore(long startedNanos, Duration floor, Outcome outcome) {
    long leftNanos = floor.toNanos() - (System.nanoTime() - startedNanos);
    if (leftNanos <= 0) {
      return CompletableFuture.completedFuture(outcome);
    }
    CompletableFuture<Outcome> later = new CompletableFuture<>();
    system.scheduler().scheduleOnce(Duration.ofNanos(leftNanos), () -> later.complete(outcome),
        system.executionContext());
    return later;
  }

  private CompletionStage<Outcome> find(Attempt attempt, boolean dryRun) {
    Optional<CodeVault> codes = vault.vault();
    FingerprintStore index = fingerprints;
    CodeHolderStore holding = holders;
    if (codes.isEmpty() || index == null || holding == null) {
      return CompletableFuture.completedFuture(new Refused(ProblemCode.UNAVAILABLE, "the vault is not ready; retry"));
    }
    String masked = RevealedCode.mask(attempt.code().strip());
    byte[] fingerprint = codes.get().fingerprint(attempt.code());
    return Replies.on(dispatcher, index.locate(fingerprint)).thenCompose(located -> located.isEmpty()
        ? notFound()
        : located(attempt, dryRun, masked, located.get(), codes.get(), holding));
  }

  private static CompletionStage<Outcome> notFound() {
    return CompletableFuture.completedFuture(new Refused(ProblemCode.NOT_FOUND, "no such code"));
  }

  /**
   * A code outside the verifier's scope (its SKU, its batch's supplier) is answered as unknown: its
   * existence is not the verifier's to learn.
   */
  private static boolean inScope(ChannelService.Outcome<Scope> scope, String skuId, Optional<BatchView> batch) {
    return scope instanceof ChannelService.Done<Scope> done
        && done.value().covers(skuId, batch.map(BatchView::supplierId).orElse(null));
  }

  private CompletionStage<Outcome> located(Attempt attempt, boolean dryRun, String masked, Location at, CodeVault codes,
      CodeHolderStore holding) {
    CompletableFuture<Optional<Catalogued>> sku = catalogued(at.skuId());
    CompletableFuture<ChannelService.Outcome<Scope>> scope = Replies.on(dispatcher,
        verifiers.scope(attempt.verifierId()));
    CompletableFuture<Optional<BatchView>> batch = Replies.on(dispatcher, sharding.entityRefFor(
            SkuInventoryProtocol.TYPE_KEY, at.skuId()).<BatchLookup>ask(r -> new GetBatch(at.batchId(), r),
            askTimeout.now()))
        .thenApply(found -> found instanceof BatchFound known ? Optional.of(known.batch()) : Optional.empty());
    CompletableFuture<Optional<Instant>> expires = Replies.on(dispatcher,
        codes.expiresAt(at.skuId(), at.batchId(), at.position()));
    CompletableFuture<Optional<Holding>> holder = Replies.on(dispatcher,
        holding.holder(at.skuId(), at.batchId(), at.position()));
    return CompletableFuture.allOf(sku, scope, batch, expires, holder).thenCompose(all -> {
      Optional<Catalogued> catalogued = sku.join();
      if (catalogued.isEmpty() || catalogued.get().kind() != SkuKind.CARD_CODE
          || !inScope(scope.join(), at.skuId(), batch.join())) {
        return notFound();
      }
      Money faceValue = catalogued.get().faceValue();
      if (attempt.amount() != null && !attempt.amount().currency().equals(faceValue.currency())) {
        return done(new Refused(ProblemCode.INVALID_REQUEST, "amount must be in " + faceValue.currency()));
      }
      Check base = new Check(false, null, at.skuId(), at.batchId(), holder.join().map(Holding::orderId).orElse(null),
          holder.join().map(Holding::channelId).orElse(null), masked, null, null, null);
      if (holder.join().isEmpty()) {
        return notRedeemable(dryRun, base, "NEVER_DELIVERED", "the code was never delivered (a delivery takes a "
            + "few seconds to become redeemable)");
      }
      if (batch.join().map(BatchView::frozen).orElse(false)) {
        return notRedeemable(dryRun, base, "FROZEN", "the code's batch is frozen");
      }
      Optional<Instant> expiry = expires.join();
      if (expiry.isPresent() && !expiry.get().isAfter(clock.instant())) {
        return notRedeemable(dryRun, base, "EXPIRED", "the code expired at " + expiry.get());
      }
      Holding held = holder.join().get();
      Long amount = attempt.amount() == null ? null : attempt.amount().amount();
      return Replies.on(dispatcher, sharding.entityRefFor(OrderProcessProtocol.TYPE_KEY, held.orderId())
              .<RedeemAnswer>ask(r -> new Redeem(at.batchId(), at.position(), attempt.verifierId(), attempt.place(),
                  amount, faceValue, dryRun, at.skuId(), held.deliveredAt(), r), askTimeout.now()))
          .thenApply(answer -> answered(answer, dryRun, base, held, faceValue.currency()));
    });
  }

  private static Outcome answered(RedeemAnswer answer, boolean dryRun, Check base, Holding held, String currency) {
    // The order's answers share their names with this service's outcomes: named in full here.
    if (answer instanceof OrderProcessProtocol.Redeemed redeemed) {
      return dryRun
          ? new Checked(new Check(true, null, base.skuId(), base.batchId(), held.orderId(), held.channelId(),
              base.code(), redeemed.remaining(), null, null))
          : new Redeemed(new Redemption(redeemed.redemptionId(), base.skuId(), base.batchId(), held.orderId(),
              held.channelId(), base.code(), redeemed.at(), redeemed.remaining()));
    }
    if (answer instanceof OrderProcessProtocol.AlreadyRedeemed already) {
      return dryRun
          ? new Checked(new Check(false, "ALREADY_REDEEMED", base.skuId(), base.batchId(), held.orderId(),
              held.channelId(), base.code(), new Money(0, currency), already.at(), already.place()))
          : new RedemptionService.AlreadyRedeemed(base.code(), already.at(), already.place());
    }
    NotRedeemable not = (NotRedeemable) answer;
    return dryRun
        ? new Checked(new Check(false, not.reason().name(), base.skuId(), base.batchId(), held.orderId(),
            held.channelId(), base.code(), null, null, null))
        : new Refused(ProblemCode.NOT_REDEEMABLE, not.detail());
  }

  private static CompletionStage<Outcome> notRedeemable(boolean dryRun, Check base, String reason, String detail) {
    return done(dryRun
        ? new Checked(new Check(false, reason, base.skuId(), base.batchId(), base.orderId(), base.channelId(),
            base.code(), null, null, null))
        : new Refused(ProblemCode.NOT_REDEEMABLE, detail));
  }

  private static CompletionStage<Outcome> done(Outcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  private CompletableFuture<Optional<Catalogued>> catalogued(String skuId) {
    Catalogued known = skus.get(skuId);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    return Replies.on(dispatcher, sharding.entityRefFor(SkuInventoryProtocol.TYPE_KEY, skuId)
            .<Lookup>ask(GetSku::new, askTimeout.now()))
        .thenApply(lookup -> {
          if (!(lookup instanceof Found found)) {
            return Optional.<Catalogued>empty();
          }
          SkuDefinition definition = found.sku().definition();
          Catalogued catalogued = new Catalogued(definition.kind(), definition.faceValue());
          skus.put(skuId, catalogued);
          return Optional.of(catalogued);
        });
  }
}
