package com.quanyi.persistence.devcassandra;

/** A port the dev Cassandra needs is taken by another process. */
public final class PortInUseException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  PortInUseException(String host, int port, String purpose) {
    super(purpose + " port " + host + ":" + port + " is already in use. Another Cassandra (or another "
        + "program) is listening there: stop it, choose other ports (QUANYI_CASSANDRA_PORT, "
        + "QUANYI_CASSANDRA_STORAGE_PORT), or use it as an external Cassandra "
        + "(QUANYI_CASSANDRA_EMBEDDED=false, QUANYI_CASSANDRA_CONTACT_POINTS=" + host + ":" + port + ").");
  }
}
