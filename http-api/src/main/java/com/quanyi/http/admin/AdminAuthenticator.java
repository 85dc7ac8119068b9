package com.quanyi.http.admin;

import com.quanyi.protocol.admin.AdminPrincipal;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Turns a bearer token into the principal it belongs to; empty if no token matches. */
@FunctionalInterface
public interface AdminAuthenticator {
  CompletionStage<Optional<AdminPrincipal>> authenticate(String bearerToken);
}
