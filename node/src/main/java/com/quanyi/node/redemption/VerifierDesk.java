package com.quanyi.node.redemption;

import com.quanyi.http.ProblemCode;
import com.quanyi.http.channel.ChannelService.Done;
import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.http.channel.ChannelService.Refused;
import com.quanyi.http.channel.SignedRequest;
import com.quanyi.http.redemption.VerifierService;
import com.quanyi.node.AskTimeout;
import com.quanyi.node.channel.SignatureCheck;
import com.quanyi.persistence.redemption.VerifierStore;
import com.quanyi.persistence.redemption.VerifierStore.StoredVerifier;
import com.quanyi.persistence.vault.SealedSecrets;
import com.quanyi.protocol.Identifier;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Verifiers over their table: registration (keys made here, the secret sealed before it is
 * stored), the list, each one's scope, and authentication of their signed requests. A verifier
 * never changes once registered, so each node keeps the ones it has seen, secret opened.
 */
public final class VerifierDesk implements VerifierService {

  static final int MAX_NAME = 200;
  static final int MAX_SKUS = 1_000;
  static final int MAX_SUPPLIERS = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A verifier as a node keeps it to check its signatures and scope. */
  private record Known(String apiKey, String secret, Scope scope) {}

  private final SealedSecrets secrets;
  private final SignatureCheck signatures;
  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  /** The table, once Cassandra is reached (null before). */
  private volatile VerifierStore store;

  public VerifierDesk(ActorSystem<?> system, SealedSecrets secrets, AskTimeout askTimeout, int nonceBuckets,
      Clock clock) {
    this.secrets = secrets;
    this.signatures = new SignatureCheck(system, askTimeout, nonceBuckets);
    this.clock = clock;
  }

  public void ready(VerifierStore verifiers) {
    this.store = verifiers;
  }

  @Override
  public CompletionStage<Outcome<Credentials>> register(NewVerifier request, String actor) {
    if (!Identifier.isValid(request.verifierId())) {
      return refused("verifierId must be 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
    }
    if (request.name() == null || request.name().isBlank() || request.name().length() > MAX_NAME
        || request.name().chars().anyMatch(Character::isISOControl)) {
      return refused("name is required: 1-" + MAX_NAME + " characters without control characters");
    }
    List<String> skuIds = request.skuIds() == null ? List.of() : request.skuIds();
    if (skuIds.size() > MAX_SKUS || skuIds.stream().anyMatch(id -> !Identifier.isValid(id))) {
      return refused("skuIds holds at most " + MAX_SKUS + " SKU ids of 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
    }
    List<String> supplierIds = request.supplierIds() == null ? List.of() : request.supplierIds();
    if (supplierIds.size() > MAX_SUPPLIERS || supplierIds.stream().anyMatch(id -> !Identifier.isValid(id))) {
      return refused("supplierIds holds at most " + MAX_SUPPLIERS
          + " supplier ids of 1-64 characters of A-Z, a-z, 0-9, '_', '-'");
    }
    String apiKey = "qv." + request.verifierId() + "." + random(12);
    String apiSecret = "qs_" + random(32);
    StoredVerifier stored = new StoredVerifier(request.verifierId(), request.name(), new LinkedHashSet<>(skuIds),
        new LinkedHashSet<>(supplierIds), apiKey, secrets.currentMasterKeyId(), secrets.seal(request.verifierId(), apiSecret), actor, clock.instant());
    return withTable(table -> table.register(stored)).thenApply(registered -> registered
        ? (Outcome<Credentials>) new Done<>(new Credentials(request.verifierId(), apiKey, apiSecret))
        : new Refused<>(ProblemCode.ALREADY_EXISTS, "verifier " + request.verifierId() + " exists"));
  }

  @Override
  public CompletionStage<List<VerifierInfo>> list() {
    return withTable(VerifierStore::all).thenApply(all -> all.stream()
        .map(v -> new VerifierInfo(v.verifierId(), v.name(), List.copyOf(v.skuIds()), supplierIds(v), v.apiKey(),
            v.createdBy(), v.createdAt()))
        .sorted(Comparator.comparing(VerifierInfo::verifierId)).toList());
  }

  @Override
  public CompletionStage<Outcome<Scope>> scope(String verifierId) {
    return verifier(verifierId).thenApply(found -> found
        .<Outcome<Scope>>map(v -> new Done<>(v.scope()))
        .orElseGet(() -> new Refused<>(ProblemCode.NOT_FOUND, "no such verifier")));
  }

  @Override
  public CompletionStage<Outcome<String>> authenticate(SignedRequest request, String canonical) {
    String[] parts = request.apiKey().split("\\.");
    if (parts.length != 3 || !parts[0].equals("qv") || !Identifier.isValid(parts[1])) {
      return CompletableFuture.completedFuture(new Refused<>(ProblemCode.UNAUTHENTICATED, "unknown API key"));
    }
    String verifierId = parts[1];
    return verifier(verifierId).thenCompose(found -> found.isEmpty() || !found.get().apiKey().equals(request.apiKey())
        ? CompletableFuture.completedFuture(new Refused<>(ProblemCode.UNAUTHENTICATED, "unknown API key"))
        : signatures.check(request, canonical, found.get().secret(), verifierId));
  }

  private CompletionStage<Optional<Known>> verifier(String verifierId) {
    Known cached = known.get(verifierId);
    if (cached != null) {
      return CompletableFuture.completedFuture(Optional.of(cached));
    }
    return withTable(table -> table.find(verifierId)).thenApply(found -> found.map(v -> known.computeIfAbsent(verifierId,
        id -> new Known(v.apiKey(), secrets.open(id, v.masterKeyId(), v.sealedSecret()),
            new Scope(List.copyOf(v.skuIds()), supplierIds(v))))));
  }

  /** None in rows written before verifiers had suppliers (the column reads as empty then). */
  private static List<String> supplierIds(StoredVerifier v) {
    return v.supplierIds() == null ? List.of() : List.copyOf(v.supplierIds());
  }

  /** A failed stage (answered 503) until the table is reachable. */
  private <T> CompletionStage<T> withTable(Function<VerifierStore, CompletionStage<T>> use) {
    VerifierStore table = store;
    return table == null
        ? CompletableFuture.failedFuture(new IllegalStateException("the verifiers' table is not reachable yet"))
        : use.apply(table);
  }

  private static <T> CompletionStage<Outcome<T>> refused(String detail) {
    return CompletableFuture.completedFuture(new Refused<>(ProblemCode.INVALID_REQUEST, detail));
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
