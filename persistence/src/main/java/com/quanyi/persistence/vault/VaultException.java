package com.quanyi.persistence.vault;

/** A vault operation that cannot succeed; the message never contains a code or a key. */
public final class VaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VaultException(String message) {
    super(message);
  }

  public VaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
