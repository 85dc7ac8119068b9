package com.quanyi.protocol.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.protocol.admin.Role.Permission;
import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void eachRoleMayDoWhatTheContractSaysAndNoMore() {
    for (Permission p : Permission.values()) {
      assertTrue(Role.ADMIN.permits(p), p::name);
      assertTrue(Role.AUDITOR.permits(p) == (p == Permission.READ || p == Permission.REPORT_READ), p::name);
    }
    assertTrue(Role.FINANCE.permits(Permission.REPORT_READ));
    assertFalse(Role.OPERATOR.permits(Permission.REPORT_READ), "operators run the platform; reports are finance's");
    assertFalse(Role.OPERATOR.permits(Permission.PROJECTION_ADMIN));
    assertFalse(Role.FINANCE.permits(Permission.PROJECTION_ADMIN));
    assertTrue(Role.OPERATOR.permits(Permission.INVENTORY_WRITE));
    assertFalse(Role.OPERATOR.permits(Permission.FINANCE_WRITE));
    assertFalse(Role.OPERATOR.permits(Permission.TOKEN_ADMIN));
    assertTrue(Role.FINANCE.permits(Permission.FINANCE_WRITE));
    assertFalse(Role.FINANCE.permits(Permission.INVENTORY_WRITE));
    assertFalse(Role.FINANCE.permits(Permission.CATALOG_WRITE));
  }
}
