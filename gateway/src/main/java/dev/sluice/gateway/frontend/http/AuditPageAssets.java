package dev.sluice.gateway.frontend.http;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The audit page's static files, served from the classpath under {@code /audit/}: the HTML, its
 * script and its style sheet. They hold no data and need no login; the script fetches everything
 * from {@link AuditPageApi} with the auditor's token.
 */
public final class AuditPageAssets {
  public static final String PATH = "/audit/";

  private static final String RESOURCES = "/dev/sluice/gateway/frontend/http/audit/";

  // The page loads nothing but its own files and talks to nobody but the gateway: an injected
  // script could neither run inline nor send what it reads anywhere else.
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  public List<HttpEndpoint> endpoints() {
    return List.of(
        new HttpEndpoint(HttpMethod.GET, "/audit", AuditPageAssets::redirect),
        file(PATH, "index.html", "text/html; charset=utf-8"),
        file(PATH + "audit.js", "audit.js", "text/javascript; charset=utf-8"),
        file(PATH + "audit.css", "audit.css", "text/css; charset=utf-8"));
  }

  /** Headers every answer under {@code /audit/} carries, data or not. */
  static HttpHeaders securityHeaders() {
    return new DefaultHttpHeaders()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer");
  }

  private static HttpEndpoint file(String path, String resource, String contentType) {
    return new HttpEndpoint(HttpMethod.GET, path, exchange -> {
      // Not cached, so that a new gateway version's page never runs an old script against its API.
      HttpHeaders headers = securityHeaders().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
      exchange.respond(HttpResponseStatus.OK, contentType, read(resource), headers);
    });
  }

  private static void redirect(HttpExchange exchange) {
    exchange.respond(
        HttpResponseStatus.PERMANENT_REDIRECT,
        "text/plain; charset=utf-8",
        new byte[0],
        securityHeaders().set(HttpHeaderNames.LOCATION, PATH));
  }

  private static byte[] read(String resource) {
    try (InputStream in = AuditPageAssets.class.getResourceAsStream(RESOURCES + resource)) {
      if (in == null) {
        throw new GatewayException(ErrorCode.INTERNAL_ERROR, "The audit page's " + resource + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Cannot read the audit page's " + resource, e);
    }
  }
}
