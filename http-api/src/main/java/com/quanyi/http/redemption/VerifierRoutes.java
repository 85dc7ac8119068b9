package com.quanyi.http.redemption;

import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.http.channel.ChannelRoutes;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/v1/verifiers}: register a verifier (admin, operator; its secret shown only in that
 * answer) and list them (any role).
 */
public final class VerifierRoutes extends AdminRouteSupport {

  private final VerifierService verifiers;

  public VerifierRoutes(AdminAuthenticator authenticator, VerifierService verifiers) {
    super(authenticator);
    this.verifiers = verifiers;
  }

  public Route route() {
    return path("verifiers", () -> concat(
        post(() -> authorized(Permission.CHANNEL_WRITE, principal -> jsonBody(VerifierService.NewVerifier.class,
            request -> onReply(verifiers.register(request, principal.name()),
                outcome -> ChannelRoutes.respond(outcome, credentials -> json(created(), credentials)))))),
        get(() -> authorized(Permission.READ, principal -> onReply(verifiers.list(),
            all -> json(ok(), Map.of("verifiers", all)))))));
  }
}
