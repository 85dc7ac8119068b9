package com.quanyi.http.callback;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /admin/v1/channels/{channelId}/callbacks/parked} and
 * {@code POST /admin/v1/channels/{channelId}/callbacks/{eventId}/replay}: callbacks the channel's
 * server never acknowledged, and sending one again (same event id, new attempts).
 */
public final class CallbackRoutes extends AdminRouteSupport {

  private final CallbackService callbacks;

  public CallbackRoutes(AdminAuthenticator authenticator, CallbackService callbacks) {
    super(authenticator);
    this.callbacks = callbacks;
  }

  public Route route() {
    return pathPrefix("channels", () -> pathPrefix(segment(), channelId -> pathPrefix("callbacks", () -> {
      if (!Identifier.isValid(channelId)) {
        return completeProblem(ProblemCode.NOT_FOUND, "no such channel");
      }
      return concat(
          path("parked", () -> get(() -> authorized(Permission.READ, principal ->
              onReply(callbacks.parked(channelId), list -> json(ok(), Map.of("callbacks", list)))))),
          path(segment().slash("replay"), eventId -> post(() -> authorized(Permission.CHANNEL_WRITE, principal ->
              onReply(callbacks.replay(channelId, eventId, principal.name()), replayed -> replayed
                  ? json(ok(), Map.of("eventId", eventId, "status", "QUEUED"))
                  : problem(ProblemCode.NOT_FOUND, "no parked callback " + eventId))))));
    })));
  }
}
