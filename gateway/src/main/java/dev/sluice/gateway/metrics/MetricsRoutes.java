package dev.sluice.gateway.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.frontend.http.HttpAuthentication;
import dev.sluice.gateway.frontend.http.HttpEndpoint;
import dev.sluice.gateway.frontend.http.HttpExchange;
import dev.sluice.policies.Principal;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics} (Prometheus text format; open, or only for authenticated holders of a
 * role), {@code GET /healthz} (the process answers) and {@code GET /readyz} (every readiness check
 * passes; 503 with the failing ones otherwise). They run on lanes of their own (health and
 * readiness on the probe lane, the scrape, which may check a password, on the metrics lane), so
 * they answer even while every handler thread waits on a query.
 */
public final class MetricsRoutes {
  public static final String METRICS = "/metrics";
  public static final String HEALTH = "/healthz";
  public static final String READY = "/readyz";

  private final GatewayMetrics metrics;
  private final ReadinessMonitor readiness;
  private final HttpAuthentication authentication;
  private final Optional<String> requiredRole;

  public MetricsRoutes(
      GatewayMetrics metrics,
      ReadinessMonitor readiness,
      HttpAuthentication authentication,
      Optional<String> requiredRole) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.readiness = requireNonNull(readiness, "readiness is null");
    this.authentication = requireNonNull(authentication, "authentication is null");
    this.requiredRole = requireNonNull(requiredRole, "requiredRole is null");
  }

  public List<HttpEndpoint> endpoints() {
    return List.of(
        HttpEndpoint.metrics(HttpMethod.GET, METRICS, this::metrics),
        HttpEndpoint.probe(HttpMethod.GET, HEALTH, exchange -> exchange.respondText(HttpResponseStatus.OK, "ok")),
        HttpEndpoint.probe(HttpMethod.GET, READY, this::ready));
  }

  private void metrics(HttpExchange exchange) {
    if (requiredRole.isPresent()) {
      Optional<Principal> principal = authentication.authenticate(exchange);
      if (principal.isEmpty()) {
        return; // already answered: 401 or 429
      }
      if (!principal.get().hasRole(requiredRole.get())) {
        exchange.respondText(HttpResponseStatus.FORBIDDEN, "Reading metrics needs the role " + requiredRole.get());
        return;
      }
    }
    exchange.respond(HttpResponseStatus.OK, GatewayMetrics.contentType(), metrics.scrape().getBytes(UTF_8));
  }

  private void ready(HttpExchange exchange) {
    StringBuilder body = new StringBuilder();
    boolean ready = true;
    for (ReadinessCheck check : readiness.checks()) {
      ReadinessCheck.Status status = check.current();
      ready &= status.ready();
      body.append(check.name()).append(status.ready() ? " ok: " : " FAILING: ").append(status.detail()).append('\n');
    }
    body.append(ready ? "ready" : "not ready");
    exchange.respondText(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body.toString());
  }
}
