package com.quanyi.protocol.order;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A channel's order, validated. {@link #contentHash()} decides whether a repeat of the same
 * client order number is the same request (200) or different content (409).
 */
public record OrderRequest(String channelId, String clientOrderNo, String skuId, int quantity, Buyer buyer,
    String rechargeAccount, String callbackUrl) implements CborSerializable {

  public static final int MAX_QUANTITY = 100;

  public record Buyer(String userId, String ip, String deviceId) implements CborSerializable {
    /** Compiled once: every order, and every recovered order event, builds a buyer. */
    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public Buyer {
      requireText("buyer.userId", userId, 128);
      requireText("buyer.ip", ip, 45);
      if (!IP.matcher(ip).matches()) {
        throw new IllegalArgumentException("buyer.ip must be an IPv4 or IPv6 address");
      }
      if (deviceId != null) {
        requireText("buyer.deviceId", deviceId, 128);
      }
    }
  }

  public OrderRequest {
    Identifier.require("channelId", channelId);
    Identifier.require("clientOrderNo", clientOrderNo);
    Identifier.require("skuId", skuId);
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity must be between 1 and " + MAX_QUANTITY);
    }
    Objects.requireNonNull(buyer, "buyer is required");
    if (rechargeAccount != null) {
      requireText("rechargeAccount", rechargeAccount, 128);
    }
    if (callbackUrl != null) {
      requireText("callbackUrl", callbackUrl, 2048);
    }
  }

  public String orderId() {
    return OrderProcessProtocol.orderId(channelId, clientOrderNo);
  }

  public String contentHash() {
    String canonical = String.join("\n", skuId, Integer.toString(quantity), buyer.userId(), buyer.ip(),
        String.valueOf(buyer.deviceId()), String.valueOf(rechargeAccount), String.valueOf(callbackUrl));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireText(String field, String value, int max) {
    if (value == null || value.isBlank() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + " must be 1-" + max + " characters without control characters");
    }
  }
}
