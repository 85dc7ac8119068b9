package com.quanyi.persistence.devcassandra;

/** The dev Cassandra did not come up; the message carries the tail of its log. */
public final class CassandraStartException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  CassandraStartException(String message) {
    super(message);
  }
}
