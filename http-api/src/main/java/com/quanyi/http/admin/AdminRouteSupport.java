package com.quanyi.http.admin;

import com.quanyi.http.ApiDirectives;
import com.quanyi.http.ProblemCode;
import com.quanyi.protocol.admin.AdminPrincipal;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;

/** Admin routes: every one names the permission it needs, and gets the authenticated principal. */
public abstract class AdminRouteSupport extends ApiDirectives {

  private final AdminAuthenticator authenticator;

  protected AdminRouteSupport(AdminAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  protected Route authorized(Permission permission, Function<AdminPrincipal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> token = header.flatMap(AdminRouteSupport::bearerToken);
      if (token.isEmpty()) {
        return completeProblem(ProblemCode.UNAUTHENTICATED, "a valid admin bearer token is required");
      }
      return onComplete(authenticator.authenticate(token.get()), result -> {
        if (result.isFailure()) {
          return completeProblem(ProblemCode.UNAVAILABLE, "could not check the token now; retry");
        }
        Optional<AdminPrincipal> principal = result.get();
        if (principal.isEmpty()) {
          return completeProblem(ProblemCode.UNAUTHENTICATED, "a valid admin bearer token is required");
        }
        if (!principal.get().role().permits(permission)) {
          return completeProblem(ProblemCode.FORBIDDEN, "role " + principal.get().role().name().toLowerCase(Locale.ROOT)
              + " may not do this");
        }
        return inner.apply(principal.get());
      });
    });
  }

  static Optional<String> bearerToken(String header) {
    if (header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(header.substring(7).trim());
    }
    return Optional.empty();
  }
}
