package com.quanyi.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a partner request as API.md says: lowercase hex HMAC-SHA256 with the channel's secret over
 * {@code METHOD\nPATH_WITH_QUERY\nTIMESTAMP\nNONCE\nhex(SHA-256(body))}. One per client thread
 * (Mac and MessageDigest are not thread-safe).
 */
final class Signer {

  private static final HexFormat HEX = HexFormat.of();

  private final Mac mac;
  private final MessageDigest sha256;

  Signer(String secret) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  String sign(String method, String pathWithQuery, String timestamp, String nonce, byte[] body) {
    String canonical = method + "\n" + pathWithQuery + "\n" + timestamp + "\n" + nonce + "\n"
        + HEX.formatHex(sha256.digest(body));
    return HEX.formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
  }
}
