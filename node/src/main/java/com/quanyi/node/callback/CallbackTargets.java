package com.quanyi.node.callback;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which URLs the platform will call back: absolute http(s), no credentials in the URL, and — unless
 * {@code allowPrivate} (development and tests) — no loopback, private, link-local or unspecified
 * address, checked on the literal when a URL is given and on the resolved address before each
 * delivery (a name can be pointed at an internal address later).
 */
public final class CallbackTargets {

  private final boolean allowPrivate;

  public CallbackTargets(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Why this URL cannot be a callback target; empty when it can. */
  public Optional<String> refusal(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("callbackUrl is not a URL");
    }
    if (url.length() > 2048 || !uri.isAbsolute() || uri.getHost() == null
        || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
      return Optional.of("callbackUrl must be an absolute http(s) URL of at most 2048 characters");
    }
    if (uri.getUserInfo() != null) {
      return Optional.of("callbackUrl must not carry credentials");
    }
    if (!allowPrivate && (uri.getHost().equalsIgnoreCase("localhost") || literalIsPrivate(uri.getHost()))) {
      return Optional.of("callbackUrl must not point at a loopback or private address");
    }
    return Optional.empty();
  }

  /** Whether the host resolves only to addresses the platform may call now. */
  public boolean deliverable(URI uri) {
    if (allowPrivate) {
      return true;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
        if (isPrivate(address)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean literalIsPrivate(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
      return false;
    }
    try {
      return isPrivate(InetAddress.getByName(bare));
    } catch (UnknownHostException e) {
      return true;
    }
  }

  private static boolean isPrivate(InetAddress address) {
    byte[] raw = address.getAddress();
    boolean uniqueLocalV6 = raw.length == 16 && (raw[0] & 0xfe) == 0xfc;
    boolean carrierNat = raw.length == 4 && (raw[0] & 0xff) == 100 && (raw[1] & 0xc0) == 64;
    return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || carrierNat;
  }
}
