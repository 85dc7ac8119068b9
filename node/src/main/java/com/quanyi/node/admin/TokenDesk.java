package com.quanyi.node.admin;

import com.quanyi.node.Replies;
import com.quanyi.http.admin.AdminTokenService;
import com.quanyi.protocol.admin.AdminPrincipal;
import com.quanyi.protocol.admin.AdminDirectoryProtocol;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Authenticate;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Authentication;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Issue;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Issued;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.IssueToken;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.ListTokens;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Revocation;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Revoked;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.RevokeToken;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.TokenInfo;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.TokenList;
import com.quanyi.protocol.admin.Role;
import java.util.concurrent.Executor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Admin bearer tokens, known only as SHA-256 digests: a token is long and random, so a plain
 * digest makes the stored form useless to whoever reads it. The bootstrap token lives in this
 * node's memory; issued tokens live in the {@link AdminDirectory}, and each node caches what it
 * asked for a few seconds (a revoked token stops working everywhere within that time).
 */
public final class TokenDesk implements AdminTokenService {

  public static final int MIN_TOKEN_LENGTH = 24;
  private static final int MAX_TOKEN_LENGTH = 512;
  private static final long KNOWN_FOR_NANOS = Duration.ofSeconds(10).toNanos();
  private static final long UNKNOWN_FOR_NANOS = Duration.ofSeconds(2).toNanos();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, AdminPrincipal> bootstrap = new ConcurrentHashMap<>();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final ClusterSharding sharding;
  /** Where the continuations of entity replies run (see Replies). */
  private final Executor dispatcher;
  private final Duration askTimeout;

  private record Cached(Optional<AdminPrincipal> principal, long until) {}

  public TokenDesk(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  /** Adds a token that needs no directory (the bootstrap admin); refuses tokens too short to resist guessing. */
  public void addBootstrap(String token, AdminPrincipal principal) {
    if (token == null || token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException("admin tokens must be at least " + MIN_TOKEN_LENGTH + " characters");
    }
    bootstrap.put(digest(token), principal);
  }

  @Override
  public CompletionStage<Optional<AdminPrincipal>> authenticate(String bearerToken) {
    if (bearerToken == null || bearerToken.length() < MIN_TOKEN_LENGTH || bearerToken.length() > MAX_TOKEN_LENGTH) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String digest = digest(bearerToken);
    AdminPrincipal known = bootstrap.get(digest);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    Cached cached = cache.get(digest);
    if (cached != null && System.nanoTime() < cached.until()) {
      return CompletableFuture.completedFuture(cached.principal());
    }
    return Replies.on(dispatcher, directory().<Authentication>ask(replyTo -> new Authenticate(digest, replyTo), askTimeout))
        .thenApply(answer -> {
          Optional<AdminPrincipal> principal = Optional.ofNullable(answer.principal());
          cache.put(digest, new Cached(principal,
              System.nanoTime() + (principal.isPresent() ? KNOWN_FOR_NANOS : UNKNOWN_FOR_NANOS)));
          return principal;
        });
  }

  @Override
  public CompletionStage<Optional<String>> issue(String name, Role role, String actor) {
    String token = generate();
    return Replies.on(dispatcher, directory().<Issue>ask(replyTo -> new IssueToken(name, role, digest(token), actor, replyTo), askTimeout))
        .thenApply(issued -> issued instanceof Issued ? Optional.of(token) : Optional.empty());
  }

  @Override
  public CompletionStage<Boolean> revoke(String name, String actor) {
    return Replies.on(dispatcher, directory().<Revocation>ask(replyTo -> new RevokeToken(name, actor, replyTo), askTimeout))
        .thenApply(revocation -> {
          cache.clear();
          return revocation instanceof Revoked;
        });
  }

  @Override
  public CompletionStage<List<TokenInfo>> list() {
    return Replies.on(dispatcher, directory().ask(ListTokens::new, askTimeout)).thenApply(TokenList::tokens);
  }

  private EntityRef<AdminDirectoryProtocol.Command> directory() {
    return sharding.entityRefFor(AdminDirectoryProtocol.TYPE_KEY, AdminDirectoryProtocol.ENTITY_ID);
  }

  /** A new random token: 32 bytes, URL-safe base64. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "qy_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static AdminPrincipal bootstrapAdmin() {
    return new AdminPrincipal("bootstrap-admin", Role.ADMIN);
  }

  static String digest(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
