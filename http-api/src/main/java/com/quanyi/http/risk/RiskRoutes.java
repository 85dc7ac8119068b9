package com.quanyi.http.risk;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.quanyi.http.ApiJson;
import com.quanyi.http.ProblemCode;
import com.quanyi.http.admin.AdminAuthenticator;
import com.quanyi.http.admin.AdminRouteSupport;
import com.quanyi.http.channel.ChannelRoutes;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.admin.Role.Permission;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /admin/v1/risk/…}: the rule set (read, replace against a version, history), the block and
 * allow lists, the decisions recorded for an order, a subject's profile (read, unblock), and this
 * node's risk step timings (read; delete resets them).
 */
public final class RiskRoutes extends AdminRouteSupport {

  private static final int MAX_SUBJECT_LENGTH = 300;

  private final RiskService risk;

  public RiskRoutes(AdminAuthenticator authenticator, RiskService risk) {
    super(authenticator);
    this.risk = risk;
  }

  public record UnblockRequest(String subject) {}

  public Route route() {
    return pathPrefix("risk", () -> concat(
        pathPrefix("rules", () -> concat(
            pathEndOrSingleSlash(() -> concat(
                get(() -> authorized(Permission.READ, principal -> onReply(risk.rules(), rules -> json(ok(), rules)))),
                put(() -> authorized(Permission.RISK_WRITE, principal ->
                    jsonBody(RiskService.RulesUpdate.class, update -> {
                      if (update.expectedVersion() == null || update.rules() == null) {
                        throw new ApiJson.InvalidRequest("expectedVersion and rules are required");
                      }
                      if (update.rules().contains(null)) {
                        throw new ApiJson.InvalidRequest("rules must not contain null");
                      }
                      return onReply(risk.replaceRules(update, principal.name()),
                          outcome -> ChannelRoutes.respond(outcome, rules -> json(ok(), rules)));
                    }))))),
            path("history", () -> get(() -> authorized(Permission.READ, principal ->
                onReply(risk.history(), changes -> json(ok(), Map.of("changes", changes)))))))),
        pathPrefix("lists", () -> concat(
            pathEndOrSingleSlash(() -> concat(
                get(() -> authorized(Permission.READ, principal -> onReply(risk.lists(), lists -> json(ok(), lists)))),
                post(() -> authorized(Permission.RISK_WRITE, principal ->
                    jsonBody(RiskService.NewListEntry.class, entry -> {
                      if (entry.list() == null || entry.subject() == null || entry.value() == null) {
                        throw new ApiJson.InvalidRequest("list, subject and value are required");
                      }
                      return onReply(risk.addListEntry(entry, principal.name()),
                          outcome -> ChannelRoutes.respond(outcome, added -> json(created(), added)));
                    }))))),
            path(segment(), entryId -> delete(() -> authorized(Permission.RISK_WRITE, principal ->
                !Identifier.isValid(entryId) ? completeProblem(ProblemCode.NOT_FOUND, "no such list entry")
                    : onReply(risk.removeListEntry(entryId, principal.name()),
                        outcome -> ChannelRoutes.respond(outcome, lists -> json(ok(), lists)))))))),
        path("stats", () -> concat(
            get(() -> authorized(Permission.READ, principal -> complete(json(ok(), risk.stats(false))))),
            delete(() -> authorized(Permission.RISK_WRITE, principal -> complete(json(ok(), risk.stats(true))))))),
        path("decisions", () -> get(() -> authorized(Permission.READ, principal ->
            parameter("orderId", orderId -> orderId.isEmpty() || orderId.length() > MAX_SUBJECT_LENGTH
                || orderId.chars().anyMatch(Character::isISOControl)
                ? completeProblem(ProblemCode.INVALID_REQUEST, "orderId must be an order's id, at most "
                    + MAX_SUBJECT_LENGTH + " characters")
                : onReply(risk.decisions(orderId), list -> json(ok(), Map.of("decisions", list))))))),
        path("subjects", () -> get(() -> authorized(Permission.READ, principal ->
            parameter("subject", subject -> withSubject(subject, valid ->
                onReply(risk.subject(valid), outcome -> ChannelRoutes.respond(outcome, info -> json(ok(), info)))))))),
        path("unblock", () -> post(() -> authorized(Permission.RISK_WRITE, principal ->
            jsonBody(UnblockRequest.class, request -> withSubject(request.subject(), valid ->
                onReply(risk.unblock(valid, principal.name()),
                    outcome -> ChannelRoutes.respond(outcome, info -> json(ok(), info))))))))));
  }

  private Route withSubject(String subject, Function<String, Route> inner) {
    if (subject == null || subject.length() > MAX_SUBJECT_LENGTH || subject.chars().anyMatch(Character::isISOControl)
        || !subject.matches("(buyer|ip|device|account):.+")) {
      throw new ApiJson.InvalidRequest("subject is buyer:channelId/userId, ip:address, device:id or account:value");
    }
    return inner.apply(subject);
  }
}
