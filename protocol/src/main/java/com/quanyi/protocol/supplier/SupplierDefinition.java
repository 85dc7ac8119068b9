package com.quanyi.protocol.supplier;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import java.net.URI;

/**
 * A supplier as operators register it. Its secret is not here: it is sealed separately
 * ({@link SupplierCredentials}) and never shown again.
 *
 * @param endpoint the base URI of its API, http or https, without credentials in it
 * @param timeoutMillis how long a request to it may take before its answer counts as unknown
 * @param maxConcurrent requests in flight to it, per node
 */
public record SupplierDefinition(String supplierId, String name, String endpoint, String apiKey, int timeoutMillis,
    int maxConcurrent) implements CborSerializable {

  public SupplierDefinition {
    Identifier.require("supplierId", supplierId);
    requireText("name", name, 200);
    requireText("apiKey", apiKey, 128);
    requireText("endpoint", endpoint, 2048);
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("endpoint must be an absolute http or https URI");
    }
    if (!uri.isAbsolute() || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("endpoint must be an absolute http or https URI");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException("endpoint must not carry credentials; give apiKey and apiSecret instead");
    }
    if (timeoutMillis < 100 || timeoutMillis > 60_000) {
      throw new IllegalArgumentException("timeoutMillis must be between 100 and 60000");
    }
    if (maxConcurrent < 1 || maxConcurrent > 10_000) {
      throw new IllegalArgumentException("maxConcurrent must be between 1 and 10000");
    }
  }

  private static void requireText(String field, String value, int max) {
    if (value == null || value.isBlank() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + " must be 1-" + max + " characters without control characters");
    }
  }
}
