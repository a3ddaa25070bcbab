package dev.sluice.gateway.frontend.avatica;

import static java.util.Objects.requireNonNull;

import dev.sluice.policies.Principal;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who is calling the Avatica {@code Meta} right now. Avatica's {@code Service} and {@code Meta}
 * interfaces carry no caller, so the route publishes it for the duration of one request on the
 * handler thread, which is the thread {@code LocalService} calls the {@code Meta} on.
 */
public final class AvaticaCallContext {
  /** The authenticated caller of one Avatica request and the address it came from. */
  public record CallContext(Principal principal, String clientAddress) {
    public CallContext {
      requireNonNull(principal, "principal is null");
      requireNonNull(clientAddress, "clientAddress is null");
    }
  }

  private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

  private AvaticaCallContext() {}

  /** The caller of the Avatica request being served on this thread, if any. */
  public static Optional<CallContext> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  // Restores the previous value rather than clearing it, so that nesting cannot leak a caller.
  static <T> T callAs(CallContext context, Supplier<T> action) {
    requireNonNull(context, "context is null");
    requireNonNull(action, "action is null");
    CallContext previous = CURRENT.get();
    CURRENT.set(context);
    try {
      return action.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
