package com.quanyi.http.inventory;

import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /admin/v1/vault/rewrap}: after an operator makes a new master key current (and
 * every node has it), re-wraps all batch keys under it, so the old master key can be retired.
 */
public final class VaultRoutes extends AdminRouteSupport {

  private final VaultService vault;

  public VaultRoutes(AdminAuthenticator authenticator, VaultService vault) {
    super(authenticator);
    this.vault = vault;
  }

  public Route route() {
    return pathPrefix("vault", () -> path("rewrap", () -> post(() ->
        authorized(Permission.VAULT_ADMIN, principal -> onReply(vault.rewrapBatchKeys(), rewrapped ->
            json(ok(), Map.of("rewrapped", rewrapped, "masterKeyId", vault.currentMasterKeyId())))))));
  }
}
