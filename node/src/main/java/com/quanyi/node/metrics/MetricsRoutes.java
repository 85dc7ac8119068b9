package com.quanyi.node.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics} on the management port, in Prometheus' text exposition format (version
 * 0.0.4), beside the cluster and health routes: the operators' network, not the channels'.
 */
public final class MetricsRoutes extends AllDirectives implements ManagementRouteProvider {

  private static final ContentType PROMETHEUS_TEXT = MediaTypes.customWithFixedCharset("text", "plain",
      HttpCharsets.UTF_8, Map.of("version", "0.0.4"), false).toContentType();

  public MetricsRoutes(ExtendedActorSystem system) {}

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return get(() -> path("metrics", () ->
        complete(HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS_TEXT,
            NodeMetrics.scrape().getBytes(StandardCharsets.UTF_8))))));
  }
}
