package com.quanyi.http.redemption;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.admin.Role.Permission;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /admin/v1/codes/trace} (admin, finance, auditor): a code's life. The code is in the
 * body, never in a URL (URLs end up in logs).
 */
public final class CodeTraceRoutes extends AdminRouteSupport {

  /** Body: the code to trace. */
  public record TraceRequest(String code) {}

  private final CodeTraceService traces;

  public CodeTraceRoutes(AdminAuthenticator authenticator, CodeTraceService traces) {
    super(authenticator);
    this.traces = traces;
  }

  public Route route() {
    return path(segment("codes").slash("trace"), () -> post(() -> authorized(Permission.REPORT_READ, principal ->
        jsonBody(TraceRequest.class, request -> {
          String code = request.code();
          if (code == null || code.isBlank() || code.length() > RedemptionRoutes.MAX_CODE
              || code.chars().anyMatch(Character::isISOControl)) {
            throw new ApiJson.InvalidRequest("code is required: 1-" + RedemptionRoutes.MAX_CODE
                + " characters without control characters");
          }
          return onReply(traces.trace(code), found -> found
              .map(trace -> json(ok(), trace))
              .orElseGet(() -> problem(ProblemCode.NOT_FOUND, "no such code")));
        }))));
  }
}
