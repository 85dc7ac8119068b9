package com.quanyi.protocol.admin;

import java.util.EnumSet;
import java.util.Set;

/** The one role an admin token carries, and what each role may do (API.md, "Admin API"). */
public enum Role {
  ADMIN(EnumSet.allOf(Permission.class)),
  OPERATOR(EnumSet.of(Permission.READ, Permission.CATALOG_WRITE, Permission.INVENTORY_WRITE,
      Permission.CHANNEL_WRITE, Permission.SUPPLIER_WRITE, Permission.RISK_WRITE, Permission.REVIEW_WRITE)),
  FINANCE(EnumSet.of(Permission.READ, Permission.FINANCE_WRITE, Permission.REPORT_READ)),
  AUDITOR(EnumSet.of(Permission.READ, Permission.REPORT_READ));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean permits(Permission permission) {
    return permissions.contains(permission);
  }

  /** What this role may do, for a client to show only that (the API enforces it regardless). */
  public Set<Permission> permissions() {
    return Set.copyOf(permissions);
  }

  /** What an admin endpoint needs; each endpoint names exactly one. */
  public enum Permission {
    READ,
    CATALOG_WRITE,
    INVENTORY_WRITE,
    CHANNEL_WRITE,
    SUPPLIER_WRITE,
    RISK_WRITE,
    /** Resolve orders waiting for review. */
    REVIEW_WRITE,
    FINANCE_WRITE,
    /** Read the reports: sales, settlement, supplier and account statements, exports, ledger check. */
    REPORT_READ,
    /** Pause, resume or rebuild a projection. */
    PROJECTION_ADMIN,
    TOKEN_ADMIN,
    VAULT_ADMIN
  }
}
