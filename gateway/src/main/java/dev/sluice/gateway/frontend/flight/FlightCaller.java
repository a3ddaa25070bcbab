package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.policies.Principal;
import java.net.InetAddress;
import java.util.Optional;

/** Who made a Flight call: the authenticated principal, the client's address and the application it names. */
record FlightCaller(Principal principal, InetAddress address, Optional<String> application) {
  FlightCaller {
    requireNonNull(principal, "principal is null");
    requireNonNull(address, "address is null");
    requireNonNull(application, "application is null");
  }

  QueryContext queryContext() {
    return new QueryContext(principal, Protocol.FLIGHT_SQL, Optional.of(address.getHostAddress()), application);
  }
}
