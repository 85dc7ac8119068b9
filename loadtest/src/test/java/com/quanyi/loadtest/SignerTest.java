package com.quanyi.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The load generator signs on its own (it depends on no project module, so a channel can run it
 * anywhere): it must sign exactly as docs/channel-integration.md's worked examples, which are
 * checked against openssl and against the node's own RequestSignature.
 */
class SignerTest {

  private static final String SECRET = "qs_example_secret_do_not_use_0123456789";

  @Test
  void signsTheDocumentedExamples() {
    Signer signer = new Signer(SECRET);
    byte[] body = "{\"clientOrderNo\":\"CO-20261121-0001\",\"skuId\":\"iqiyi-month\",\"quantity\":1,\"buyer\":{\"userId\":\"u-42\",\"ip\":\"203.0.113.7\"}}"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("df7235b9ee91b104755c176094bd9c598b1da1c9ecf7d23de8c0e9990fdcbae5",
        signer.sign("POST", "/api/v1/orders", "1763769600000", "nonce-0123456789abcdef", body));
    assertEquals("3385eb8c9c1d5bbf5f7aafd175291ed97ed5a3f33d6b408dc2a9dddf2c0e2436",
        signer.sign("GET", "/api/v1/orders/CO-20261121-0001?verbose=true", "1763769600000", "nonce-fedcba9876543210",
            new byte[0]));
  }
}
