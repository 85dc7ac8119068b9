package com.quanyi.node.admin;

import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.protocol.admin.AdminPrincipal;
import com.quanyi.protocol.admin.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admin bearer tokens, kept only as SHA-256 digests: a token is long and random, so a plain
 * digest is enough to make the stored form useless to whoever reads it, and lookups by digest do
 * not leak the token through timing.
 */
public final class AdminTokens implements AdminAuthenticator {

  public static final int MIN_TOKEN_LENGTH = 24;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, AdminPrincipal> byDigest = new ConcurrentHashMap<>();

  /** Adds a token; refuses tokens too short to resist guessing. */
  public void add(String token, AdminPrincipal principal) {
    if (token == null || token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException("admin tokens must be at least " + MIN_TOKEN_LENGTH + " characters");
    }
    byDigest.put(digest(token), principal);
  }

  @Override
  public Optional<AdminPrincipal> authenticate(String bearerToken) {
    if (bearerToken == null || bearerToken.isEmpty() || bearerToken.length() > 512) {
      return Optional.empty();
    }
    return Optional.ofNullable(byDigest.get(digest(bearerToken)));
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
