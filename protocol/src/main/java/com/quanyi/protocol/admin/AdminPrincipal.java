package com.quanyi.protocol.admin;

import com.quanyi.protocol.CborSerializable;
import java.util.Objects;

/** Who is calling the admin API: the token's name (recorded in the audit trail) and its role. */
public record AdminPrincipal(String name, Role role) implements CborSerializable {
  public AdminPrincipal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }
}
