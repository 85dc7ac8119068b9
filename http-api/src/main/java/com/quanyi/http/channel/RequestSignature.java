package com.quanyi.http.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The partner API's request signature (API.md, "Authentication"): lowercase hex
 * HMAC-SHA256, keyed with the UTF-8 bytes of the channel's secret, over
 * {@code METHOD \n PATH_WITH_QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))}.
 * Plain Java so that it can be checked against any other implementation (see
 * docs/channel-integration.md for a worked example).
 */
public final class RequestSignature {

  private static final HexFormat HEX = HexFormat.of();

  private RequestSignature() {}

  public static String canonical(String method, String pathWithQuery, String timestamp, String nonce, byte[] body) {
    return method + "\n" + pathWithQuery + "\n" + timestamp + "\n" + nonce + "\n" + sha256Hex(body);
  }

  public static String sign(String secret, String canonical) {
    return hmacHex(secret, canonical.getBytes(StandardCharsets.UTF_8));
  }

  /** Compares in constant time; a malformed signature is simply not equal. */
  public static boolean verify(String secret, String canonical, String presentedHex) {
    byte[] expected = sign(secret, canonical).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = presentedHex == null ? new byte[0] : presentedHex.getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, presented);
  }

  /** The webhook header value {@code t=<epoch ms>,v1=<hex HMAC-SHA256(secret, t + "." + rawBody)>}. */
  public static String webhookHeader(String secret, long epochMillis, byte[] rawBody) {
    byte[] prefix = (epochMillis + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + rawBody.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(rawBody, 0, signed, prefix.length, rawBody.length);
    return "t=" + epochMillis + ",v1=" + hmacHex(secret, signed);
  }

  static String sha256Hex(byte[] body) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String hmacHex(String secret, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HEX.formatHex(mac.doFinal(message));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
