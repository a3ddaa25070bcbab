package dev.sluice.gateway.frontend.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.PolicySource;
import dev.sluice.gateway.frontend.http.HttpAuthentication;
import dev.sluice.gateway.frontend.http.HttpEndpoint;
import dev.sluice.gateway.frontend.http.HttpExchange;
import dev.sluice.gateway.frontend.http.HttpRoute;
import dev.sluice.policies.Principal;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /admin/policies/reload}: re-reads the policy file now. Only principals holding one of
 * the configured admin roles may ask; an invalid file is answered with its problems and changes
 * nothing.
 */
public final class PolicyReloadRoute implements HttpRoute {
  public static final String PATH = "/admin/policies/reload";

  private final HttpAuthentication authentication;
  private final PolicySource source;
  private final Governance governance;
  private final List<String> adminRoles;

  public PolicyReloadRoute(
      RequestAuthenticator authenticator, PolicySource source, Governance governance, List<String> adminRoles) {
    this.authentication = new HttpAuthentication(requireNonNull(authenticator, "authenticator is null"));
    this.source = requireNonNull(source, "source is null");
    this.governance = requireNonNull(governance, "governance is null");
    this.adminRoles = List.copyOf(requireNonNull(adminRoles, "adminRoles is null"));
  }

  public HttpEndpoint endpoint() {
    return new HttpEndpoint(HttpMethod.POST, PATH, this);
  }

  @Override
  public void handle(HttpExchange exchange) {
    Optional<Principal> authenticated = authentication.authenticate(exchange);
    if (authenticated.isEmpty()) {
      return; // already answered: 401 or 429
    }
    Principal principal = authenticated.get();
    if (adminRoles.stream().noneMatch(principal::hasRole)) {
      exchange.respondText(HttpResponseStatus.FORBIDDEN, "Reloading policies needs one of the roles " + adminRoles);
      return;
    }
    try {
      boolean replaced = source.reload(governance, true);
      exchange.respondText(
          HttpResponseStatus.OK,
          replaced ? "Policies reloaded from " + source.location().orElse("?") : "No policy file is configured");
    } catch (GatewayException e) {
      exchange.respondText(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.getMessage() + "\nThe previous policies stay in force.");
    }
  }
}
