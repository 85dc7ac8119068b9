package com.quanyi.protocol.risk;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address or CIDR range ({@code 203.0.113.0/24}, {@code 2001:db8::/32}), parsed
 * without any name lookup. An IPv4 address never falls in an IPv6 range and the reverse.
 */
public final class IpRange {

  private final byte[] network;
  private final int prefix;

  private IpRange(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /** A single address or a range; IllegalArgumentException when it is neither. */
  public static IpRange parse(String text) {
    int slash = text.indexOf('/');
    byte[] address = address(slash < 0 ? text : text.substring(0, slash))
        .orElseThrow(() -> new IllegalArgumentException("not an IPv4 or IPv6 address or CIDR range"));
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > bits) {
        throw new IllegalArgumentException("a CIDR prefix length is 0-" + bits);
      }
      prefix = Integer.parseInt(digits);
    }
    return new IpRange(masked(address, prefix), prefix);
  }

  /** An address's bytes (4 or 16), or empty when the text is not an address literal. */
  public static Optional<byte[]> address(String text) {
    if (text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      String[] parts = text.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(parts[i]);
        if (octet > 255) {
          return Optional.empty();
        }
        bytes[i] = (byte) octet;
      }
      return Optional.of(bytes);
    }
    // Only text with a colon reaches InetAddress: it is then a literal, never a host name to look up.
    if (text.indexOf(':') < 0 || !text.matches("[0-9A-Fa-f:.]{2,45}")) {
      return Optional.empty();
    }
    try {
      byte[] bytes = InetAddress.getByName(text).getAddress();
      return Optional.of(bytes);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    return Arrays.equals(masked(address, prefix), network);
  }

  public boolean contains(String address) {
    return address(address).map(this::contains).orElse(false);
  }

  public boolean isSingleAddress() {
    return prefix == network.length * 8;
  }

  private static byte[] masked(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
    }
    return out;
  }

  @Override
  public String toString() {
    try {
      String host = InetAddress.getByAddress(network).getHostAddress();
      return isSingleAddress() ? host : host + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange other && other.prefix == prefix && Arrays.equals(other.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }
}
