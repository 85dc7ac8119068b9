package com.quanyi.http.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of a partner request's authentication headers that need no lookup: present, well
 * formed, timestamp within the window. The signature itself is checked once the key's secret is
 * known ({@link RequestSignature#verify}), and the nonce's uniqueness by the nonce registry.
 */
public record SignedRequest(String apiKey, long timestampMillis, String timestamp, String nonce, String signature) {

  public static final Duration WINDOW = Duration.ofSeconds(300);
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,160}");

  /** Why the headers cannot authenticate anything; never echoes a header value. */
  public record Refusal(String reason) {}

  /** The headers, checked; either a request or a refusal. */
  public static Result parse(Optional<String> apiKey, Optional<String> timestamp, Optional<String> nonce,
      Optional<String> signature, Instant now) {
    if (apiKey.isEmpty() || timestamp.isEmpty() || nonce.isEmpty() || signature.isEmpty()) {
      return new Result(null, new Refusal(
          "X-Quanyi-Key, X-Quanyi-Timestamp, X-Quanyi-Nonce and X-Quanyi-Signature are all required"));
    }
    if (!KEY.matcher(apiKey.get()).matches()) {
      return new Result(null, new Refusal("unknown API key"));
    }
    long millis;
    try {
      millis = Long.parseLong(timestamp.get());
    } catch (NumberFormatException e) {
      return new Result(null, new Refusal("X-Quanyi-Timestamp must be Unix epoch milliseconds"));
    }
    if (Math.abs(now.toEpochMilli() - millis) > WINDOW.toMillis()) {
      return new Result(null, new Refusal("X-Quanyi-Timestamp is more than 300 s from server time"));
    }
    if (!NONCE.matcher(nonce.get()).matches()) {
      return new Result(null, new Refusal("X-Quanyi-Nonce must be 16-64 characters of A-Z, a-z, 0-9, '_', '-'"));
    }
    if (!SIGNATURE.matcher(signature.get()).matches()) {
      return new Result(null, new Refusal("X-Quanyi-Signature must be 64 lowercase hex characters"));
    }
    return new Result(new SignedRequest(apiKey.get(), millis, timestamp.get(), nonce.get(), signature.get()), null);
  }

  /** Exactly one of {@code request} and {@code refusal} is set. */
  public record Result(SignedRequest request, Refusal refusal) {
    public boolean refused() {
      return refusal != null;
    }
  }

  public String canonical(String method, String pathWithQuery, byte[] body) {
    return RequestSignature.canonical(method, pathWithQuery, timestamp, nonce, body);
  }
}
