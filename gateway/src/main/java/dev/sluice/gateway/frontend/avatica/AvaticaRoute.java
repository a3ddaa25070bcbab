package dev.sluice.gateway.frontend.avatica;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.frontend.avatica.AvaticaCallContext.CallContext;
import dev.sluice.gateway.frontend.http.HttpAuthentication;
import dev.sluice.gateway.frontend.http.HttpEndpoint;
import dev.sluice.gateway.frontend.http.HttpExchange;
import dev.sluice.gateway.frontend.http.HttpRoute;
import dev.sluice.policies.Principal;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Avatica remote JDBC protocol on the gateway's HTTP listener: authenticates HTTP Basic or
 * Bearer, then
 * hands the request to Avatica's protobuf or JSON handler over one {@link Service}.
 */
public final class AvaticaRoute implements HttpRoute {
  /** The Avatica client posts every request to the URL it was given, which is the server root. */
  public static final String PATH = "/";

  private static final Logger log = LoggerFactory.getLogger(AvaticaRoute.class);

  private final HttpAuthentication authentication;
  private final ProtobufHandler protobufHandler;
  private final JsonHandler jsonHandler;
  private final LongConsumer responseBytes;

  public AvaticaRoute(RequestAuthenticator authenticator, Service service) {
    this(authenticator, service, bytes -> {});
  }

  /** A route that reports the size of every response it writes to {@code responseBytes}. */
  public AvaticaRoute(RequestAuthenticator authenticator, Service service, LongConsumer responseBytes) {
    this.responseBytes = requireNonNull(responseBytes, "responseBytes is null");
    this.authentication = new HttpAuthentication(requireNonNull(authenticator, "authenticator is null"));
    requireNonNull(service, "service is null");
    this.protobufHandler =
        new ProtobufHandler(service, new CompactFrameTranslation(), NoopMetricsSystem.getInstance()) {
          @Override
          public HandlerResponse<byte[]> convertToErrorResponse(Exception e) {
            return super.convertToErrorResponse(withoutStackTrace(e));
          }
        };
    this.jsonHandler =
        new JsonHandler(service, NoopMetricsSystem.getInstance()) {
          @Override
          public HandlerResponse<String> convertToErrorResponse(Exception e) {
            return super.convertToErrorResponse(withoutStackTrace(e));
          }
        };
  }

  /**
   * Avatica copies the exception's stack trace into the error response; clients must only ever see
   * the message, code and SQLSTATE. The Meta already throws trace-less errors; anything else (a
   * malformed request, a bug) becomes a generic error here, logged on the server.
   */
  static AvaticaRuntimeException withoutStackTrace(Exception e) {
    if (e instanceof AvaticaRuntimeException avatica) {
      return new ClientVisibleError(
          avatica.getErrorMessage(), avatica.getErrorCode(), avatica.getSqlState(), avatica.getSeverity());
    }
    log.warn("Avatica request failed outside the gateway's error model", e);
    return new ClientVisibleError(
        "The gateway could not process the Avatica request: " + e.getClass().getSimpleName(),
        ErrorCode.INTERNAL_ERROR.ordinal() + 1,
        ErrorCode.INTERNAL_ERROR.sqlState(),
        AvaticaSeverity.ERROR);
  }

  /**
   * An error as the client may see it. Avatica sends the "stack trace" (the {@code
   * printStackTrace} text) next to the message, and for prepared statements the stock driver keeps
   * only that text, so it is exactly the SQLSTATE and the message: no class name, no frames.
   */
  private static final class ClientVisibleError extends AvaticaRuntimeException {
    ClientVisibleError(String message, int code, String sqlState, AvaticaSeverity severity) {
      super(message, code, sqlState, severity);
      setStackTrace(new StackTraceElement[0]);
    }

    @Override
    public String toString() {
      return getSqlState() + ": " + getErrorMessage();
    }
  }

  public HttpEndpoint endpoint() {
    return new HttpEndpoint(HttpMethod.POST, PATH, this);
  }

  @Override
  public void handle(HttpExchange exchange) {
    Optional<Principal> principal = authentication.authenticate(exchange);
    if (principal.isEmpty()) {
      return;
    }
    byte[] body = exchange.body();
    int first = firstNonWhitespace(body);
    if (first < 0) {
      exchange.respondText(HttpResponseStatus.BAD_REQUEST, "Empty Avatica request");
      return;
    }
    CallContext context =
        new CallContext(principal.get(), exchange.remoteAddress().getAddress().getHostAddress());
    // The stock client sends application/octet-stream for both serializations, so the content
    // decides: a JSON request is an object, while a protobuf WireMessage starts with tag 0x0A.
    if (body[first] == '{') {
      HandlerResponse<String> response =
          AvaticaCallContext.callAs(context, () -> jsonHandler.apply(new String(body, UTF_8)));
      byte[] bytes = response.getResponse().getBytes(UTF_8);
      responseBytes.accept(bytes.length);
      exchange.respond(
          HttpResponseStatus.valueOf(response.getStatusCode()), "application/json; charset=utf-8", bytes);
    } else {
      HandlerResponse<byte[]> response =
          AvaticaCallContext.callAs(context, () -> protobufHandler.apply(body));
      responseBytes.accept(response.getResponse().length);
      exchange.respond(
          HttpResponseStatus.valueOf(response.getStatusCode()),
          "application/octet-stream",
          response.getResponse());
    }
  }

  private static int firstNonWhitespace(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return i;
      }
    }
    return -1;
  }
}
