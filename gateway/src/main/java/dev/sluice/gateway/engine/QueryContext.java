package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import dev.sluice.policies.Principal;
import java.util.Optional;

/**
 * Who runs a query and from where: the authenticated principal, the protocol, the client's
 * IP address and the application it names (JDBC connection property, Flight header, User-Agent).
 * Frontends build one per execution; admission, metrics and the audit log read it.
 */
public record QueryContext(
    Principal principal,
    Protocol protocol,
    Optional<String> clientAddress,
    Optional<String> clientApplication) {
  public QueryContext {
    requireNonNull(principal, "principal is null");
    requireNonNull(protocol, "protocol is null");
    requireNonNull(clientAddress, "clientAddress is null");
    requireNonNull(clientApplication, "clientApplication is null");
  }

  /** A query run in-process, as tests and tooling do. */
  public static QueryContext embedded(Principal principal) {
    return new QueryContext(principal, Protocol.EMBEDDED, Optional.empty(), Optional.empty());
  }
}
