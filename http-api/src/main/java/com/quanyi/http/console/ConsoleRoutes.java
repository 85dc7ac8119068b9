package com.quanyi.http.console;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The operator console: a page and its scripts served by the node itself under {@code /console}
 * (same origin as the admin API it calls, nothing from elsewhere at run time), and the two admin
 * resources only it needs: who a token belongs to ({@code /admin/v1/me}, so the console shows what
 * the role may do; the API still enforces it), the dashboard's live view
 * ({@code /admin/v1/dashboard/live}) and the operator alerts in force ({@code /admin/v1/alerts}).
 */
public final class ConsoleRoutes extends AdminRouteSupport {

  private static final String ASSETS = "com/quanyi/http/console/";
  /**
   * Scripts only from the node, no inline script or style, no framing: a token typed into the
   * console must not be readable by anything but the console's own script.
   */
  private static final List<HttpHeader> HARDENED = List.of(
      RawHeader.create("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
          + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"),
      RawHeader.create("Cache-Control", "no-cache"));

  private final LiveService live;
  private final AlertService alerts;

  public ConsoleRoutes(AdminAuthenticator authenticator, LiveService live, AlertService alerts) {
    super(authenticator);
    this.live = live;
    this.alerts = alerts;
  }

  /** {@code /console} and its assets. */
  public Route page() {
    return pathPrefix("console", () -> get(() -> respondWithHeaders(HARDENED, () -> concat(
        pathEndOrSingleSlash(() -> getFromResource(ASSETS + "index.html")),
        getFromResourceDirectory(ASSETS + "assets")))));
  }

  /** {@code /admin/v1/me}, {@code /admin/v1/dashboard/live} and {@code /admin/v1/alerts}, under the admin prefix. */
  public Route admin() {
    return concat(
        path("me", () -> get(() -> authorized(Permission.READ, principal -> complete(json(ok(), Map.of(
            "name", principal.name(), "role", principal.role().name().toLowerCase(Locale.ROOT),
            "permissions", principal.role().permissions())))))),
        path(segment("dashboard").slash("live"), () -> get(() -> authorized(Permission.READ, principal ->
            onReply(live.live(), view -> json(ok(), view))))),
        path("alerts", () -> get(() -> authorized(Permission.READ, principal ->
            onReply(alerts.active(), active -> json(ok(), Map.of("alerts", active)))))));
  }
}
