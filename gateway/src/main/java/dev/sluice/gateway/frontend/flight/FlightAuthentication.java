package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.auth.IssuedToken;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.policies.Principal;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import org.apache.arrow.flight.FlightConstants;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.grpc.StatusUtils;

/**
 * Authenticates every Flight call with the gateway's {@link RequestAuthenticator} before any
 * handler runs: Basic (user name and password) or Bearer, with the same failed-login throttling,
 * token store and messages as HTTP, so a token from {@code POST /v1/auth/token} works here and a
 * token from the Flight handshake works there. A handshake with Basic credentials answers with a
 * fresh bearer token in its {@code authorization} header (Flight's "basic token" flow, which the
 * Flight SQL JDBC driver, ADBC and pyarrow use); other calls never issue tokens.
 *
 * <p>This is a gRPC interceptor rather than a Flight middleware because only gRPC knows the
 * client's address, which throttling is keyed on. Handlers find the caller with {@link #caller()}
 * on a thread that carries the call's gRPC context.
 */
final class FlightAuthentication implements ServerInterceptor {
  private static final Context.Key<FlightCaller> CALLER = Context.key("sluice-flight-caller");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
  /**
   * The purpose the caller declares, on every call (a header rather than a session property:
   * Flight has no session). The Flight SQL JDBC driver sends a connection property of this name
   * as this header.
   */
  static final Metadata.Key<String> PURPOSE = Metadata.Key.of("x-sluice-purpose", Metadata.ASCII_STRING_MARSHALLER);
  private static final String HANDSHAKE = FlightConstants.SERVICE + "/Handshake";

  private final RequestAuthenticator authenticator;

  FlightAuthentication(RequestAuthenticator authenticator) {
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
  }

  /** The caller of the current call. */
  static FlightCaller caller() {
    FlightCaller caller = CALLER.get();
    if (caller == null) {
      // Every call passes the interceptor first; this is a thread without the call's context.
      throw new IllegalStateException("No authenticated Flight caller on this thread");
    }
    return caller;
  }

  @Override
  public <RequestT, ResponseT> ServerCall.Listener<RequestT> interceptCall(
      ServerCall<RequestT, ResponseT> call, Metadata headers, ServerCallHandler<RequestT, ResponseT> next) {
    InetAddress client = clientAddress(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    Optional<String> authorization = Optional.ofNullable(headers.get(AUTHORIZATION));
    Principal principal;
    Optional<IssuedToken> token = Optional.empty();
    try {
      principal = authenticator.authenticate(authorization, client);
      if (HANDSHAKE.equals(call.getMethodDescriptor().getFullMethodName())
          && RequestAuthenticator.isBasic(authorization)) {
        token = Optional.of(authenticator.issueToken(principal));
      }
    } catch (GatewayException e) {
      refuse(call, e);
      return new ServerCall.Listener<>() {};
    }
    FlightCaller caller = new FlightCaller(
        principal.withPurpose(Optional.ofNullable(headers.get(PURPOSE))), client, Optional.ofNullable(headers.get(USER_AGENT)));
    ServerCall<RequestT, ResponseT> answered = token.map(issued -> withToken(call, issued)).orElse(call);
    return Contexts.interceptCall(Context.current().withValue(CALLER, caller), answered, headers, next);
  }

  private static <RequestT, ResponseT> void refuse(ServerCall<RequestT, ResponseT> call, GatewayException failure) {
    FlightRuntimeException flight = FlightErrors.toFlight(failure);
    Throwable grpc = StatusUtils.toGrpcException(flight);
    if (grpc instanceof StatusRuntimeException status && status.getTrailers() != null) {
      call.close(status.getStatus(), status.getTrailers());
    } else {
      call.close(StatusUtils.toGrpcStatus(flight.status()), new Metadata());
    }
  }

  // The token goes in the response headers, or in the trailers of a call that ends without any
  // (gRPC then sends trailers only, and Flight clients read the token from there).
  private static <RequestT, ResponseT> ServerCall<RequestT, ResponseT> withToken(
      ServerCall<RequestT, ResponseT> call, IssuedToken token) {
    String bearer = "Bearer " + token.token();
    return new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      private boolean headersSent;

      @Override
      public void sendHeaders(Metadata responseHeaders) {
        headersSent = true;
        responseHeaders.put(AUTHORIZATION, bearer);
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void close(io.grpc.Status status, Metadata trailers) {
        if (!headersSent) {
          trailers.put(AUTHORIZATION, bearer);
        }
        super.close(status, trailers);
      }
    };
  }

  private static InetAddress clientAddress(SocketAddress remote) {
    if (remote instanceof InetSocketAddress socket && socket.getAddress() != null) {
      return socket.getAddress();
    }
    // Only a local transport (in-process, Unix socket) has no IP address.
    return InetAddress.getLoopbackAddress();
  }
}
