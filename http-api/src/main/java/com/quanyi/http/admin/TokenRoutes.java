package com.quanyi.http.admin;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.admin.Role;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /admin/v1/tokens}: admin tokens with one role each; only the admin role manages them. */
public final class TokenRoutes extends AdminRouteSupport {

  private final AdminTokenService tokens;

  public TokenRoutes(AdminTokenService tokens) {
    super(tokens);
    this.tokens = tokens;
  }

  /** Body of {@code POST /admin/v1/tokens}. */
  public record TokenRequest(String name, Role role) {}

  public record IssuedToken(String name, Role role, String token) {}

  public Route route() {
    return pathPrefix("tokens", () -> concat(
        pathEndOrSingleSlash(() -> concat(
            post(() -> authorized(Permission.TOKEN_ADMIN, principal -> jsonBody(TokenRequest.class, request -> {
              if (!Identifier.isValid(request.name())) {
                throw new ApiJson.InvalidRequest("name must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
              }
              if (request.role() == null) {
                throw new ApiJson.InvalidRequest("role is required");
              }
              return onReply(tokens.issue(request.name(), request.role(), principal.name()), issued -> issued
                  .map(token -> json(created(), new IssuedToken(request.name(), request.role(), token)))
                  .orElseGet(() -> problem(ProblemCode.ALREADY_EXISTS, "a token named " + request.name() + " exists")));
            }))),
            get(() -> authorized(Permission.TOKEN_ADMIN, principal ->
                onReply(tokens.list(), list -> json(ok(), Map.of("tokens", list))))))),
        path(segment(), name -> delete(() -> authorized(Permission.TOKEN_ADMIN, principal ->
            onReply(tokens.revoke(name, principal.name()), revoked -> revoked
                ? json(ok(), Map.of("name", name, "revoked", true))
                : problem(ProblemCode.NOT_FOUND, "no token named " + name)))))));
  }
}
