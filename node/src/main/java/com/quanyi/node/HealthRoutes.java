package com.quanyi.node;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.CheckResult;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code /startup}, {@code /ready} and {@code /alive} on the management port: the checks
 * configured under {@code pekko.management.health-checks}, as Pekko Management's own routes run
 * them, but a failing check answers 503 ("not now, ask again"), which load balancers and
 * orchestrators read as such, where Pekko's answers 500. Configured in place of Pekko's routes
 * ({@code pekko.management.http.routes}).
 */
public final class HealthRoutes extends AllDirectives implements ManagementRouteProvider {

  private final HealthCheckSettings settings;
  private final HealthChecks checks;

  public HealthRoutes(ExtendedActorSystem system) {
    this.settings = HealthCheckSettings.create(system.settings().config().getConfig("pekko.management.health-checks"));
    this.checks = new HealthChecks(system, settings);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings routeSettings) {
    return get(() -> concat(
        path(settings.startupPath(), () -> answer(checks.startupResult())),
        path(settings.readinessPath(), () -> answer(checks.readyResult())),
        path(settings.livenessPath(), () -> answer(checks.aliveResult()))));
  }

  private Route answer(CompletionStage<CheckResult> result) {
    return onComplete(result, outcome -> {
      if (outcome.isSuccess() && outcome.get().isSuccess()) {
        return complete(StatusCodes.OK, "OK");
      }
      String why = outcome.isSuccess() ? outcome.get().failure().orElse("") : outcome.failed().get().getClass().getSimpleName();
      return complete(StatusCodes.SERVICE_UNAVAILABLE, "Not Healthy: " + why);
    });
  }
}
