package com.quanyi.http.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The expected values were computed independently with openssl (commands in
 * docs/channel-integration.md), so this test checks our canonical string and HMAC against another
 * implementation, not against itself.
 */
class RequestSignatureTest {

  static final String SECRET = "qs_example_secret_do_not_use_0123456789";
  static final String BODY = "{\"clientOrderNo\":\"CO-20261121-0001\",\"skuId\":\"iqiyi-month\",\"quantity\":1,"
      + "\"buyer\":{\"userId\":\"u-42\",\"ip\":\"203.0.113.7\"}}";

  @Test
  void matchesTheWorkedExampleForAPost() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertEquals("e93e08a8e275ac9521977c0b966f922efe317dbca8d8c97c80c0c971cd781b40", RequestSignature.sha256Hex(body));
    String canonical = RequestSignature.canonical("POST", "/api/v1/orders", "1763769600000", "nonce-0123456789abcdef", body);
    assertEquals("POST\n/api/v1/orders\n1763769600000\nnonce-0123456789abcdef\n"
        + "e93e08a8e275ac9521977c0b966f922efe317dbca8d8c97c80c0c971cd781b40", canonical);
    assertEquals("df7235b9ee91b104755c176094bd9c598b1da1c9ecf7d23de8c0e9990fdcbae5", RequestSignature.sign(SECRET, canonical));
  }

  @Test
  void matchesTheWorkedExampleForAGetWithAQueryAndNoBody() {
    String canonical = RequestSignature.canonical("GET", "/api/v1/orders/CO-20261121-0001?verbose=true",
        "1763769600000", "nonce-fedcba9876543210", new byte[0]);
    assertTrue(canonical.endsWith("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assertEquals("3385eb8c9c1d5bbf5f7aafd175291ed97ed5a3f33d6b408dc2a9dddf2c0e2436", RequestSignature.sign(SECRET, canonical));
  }

  @Test
  void anyChangeBreaksTheSignature() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    String signature = RequestSignature.sign(SECRET, RequestSignature.canonical("POST", "/api/v1/orders", "1", "n", body));
    assertTrue(RequestSignature.verify(SECRET, RequestSignature.canonical("POST", "/api/v1/orders", "1", "n", body), signature));
    assertFalse(RequestSignature.verify(SECRET + "x", RequestSignature.canonical("POST", "/api/v1/orders", "1", "n", body), signature));
    assertFalse(RequestSignature.verify(SECRET, RequestSignature.canonical("POST", "/api/v1/orders?x=1", "1", "n", body), signature));
    assertFalse(RequestSignature.verify(SECRET, RequestSignature.canonical("POST", "/api/v1/orders", "2", "n", body), signature));
    assertFalse(RequestSignature.verify(SECRET, RequestSignature.canonical("POST", "/api/v1/orders", "1", "m", body), signature));
    assertFalse(RequestSignature.verify(SECRET, RequestSignature.canonical("POST", "/api/v1/orders", "1", "n",
        BODY.replace("\"quantity\":1", "\"quantity\":9").getBytes(StandardCharsets.UTF_8)), signature));
    assertFalse(RequestSignature.verify(SECRET, RequestSignature.canonical("POST", "/api/v1/orders", "1", "n", body),
        signature.toUpperCase()));
    assertFalse(RequestSignature.verify(SECRET, RequestSignature.canonical("POST", "/api/v1/orders", "1", "n", body), null));
  }

  @Test
  void webhookHeaderMatchesTheWorkedExample() {
    assertEquals("t=1763769600000,v1=0b6293097f0bfe7cced1f76282beb29b1847142c2b0674986873868df6976022",
        RequestSignature.webhookHeader(SECRET, 1763769600000L,
            "{\"eventId\":\"evt-1\",\"status\":\"DELIVERED\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void headersAreCheckedBeforeAnyLookup() {
    Instant now = Instant.ofEpochMilli(1763769600000L);
    String sig = "a".repeat(64);
    Optional<String> key = Optional.of("qk_channel");
    assertFalse(SignedRequest.parse(key, Optional.of("1763769600000"), Optional.of("nonce-0123456789abcdef"),
        Optional.of(sig), now).refused());
    assertTrue(SignedRequest.parse(Optional.empty(), Optional.of("1763769600000"), Optional.of("nonce-0123456789abcdef"),
        Optional.of(sig), now).refused());
    assertTrue(SignedRequest.parse(key, Optional.of("1763769299999"), Optional.of("nonce-0123456789abcdef"),
        Optional.of(sig), now).refusal().reason().contains("300 s"), "5 minutes and 1 ms in the past is stale");
    assertFalse(SignedRequest.parse(key, Optional.of("1763769300000"), Optional.of("nonce-0123456789abcdef"),
        Optional.of(sig), now).refused(), "exactly 300 s is still inside the window");
    assertTrue(SignedRequest.parse(key, Optional.of("1763769900001"), Optional.of("nonce-0123456789abcdef"),
        Optional.of(sig), now).refused(), "the future is refused too");
    assertTrue(SignedRequest.parse(key, Optional.of("soon"), Optional.of("nonce-0123456789abcdef"),
        Optional.of(sig), now).refused());
    assertTrue(SignedRequest.parse(key, Optional.of("1763769600000"), Optional.of("short"), Optional.of(sig), now).refused());
    assertTrue(SignedRequest.parse(key, Optional.of("1763769600000"), Optional.of("nonce-0123456789abcdef"),
        Optional.of("A".repeat(64)), now).refused());
  }
}
