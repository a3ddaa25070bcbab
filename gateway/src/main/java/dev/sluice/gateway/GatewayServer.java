package dev.sluice.gateway;

import static java.util.Objects.requireNonNull;

import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import dev.sluice.gateway.admission.Admission;
import dev.sluice.gateway.admission.ProtectedWarehouses;
import dev.sluice.gateway.audit.AuditLog;
import dev.sluice.gateway.audit.AuditReader;
import dev.sluice.gateway.audit.AuditTrail;
import dev.sluice.gateway.audit.QueryLogTable;
import dev.sluice.gateway.auth.Authenticator;
import dev.sluice.gateway.auth.LoginThrottle;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.auth.TokenStore;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.PolicySource;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.config.AuthConfig;
import dev.sluice.gateway.config.FlightListenerConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.frontend.admin.PolicyReloadRoute;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.WarehouseConfig;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.metrics.MetricsRoutes;
import dev.sluice.gateway.metrics.ReadinessCheck;
import dev.sluice.gateway.metrics.ReadinessMonitor;
import dev.sluice.gateway.metrics.WarehouseReachability;
import dev.sluice.gateway.engine.StrictPushdown;
import dev.sluice.gateway.frontend.avatica.AvaticaRoute;
import dev.sluice.gateway.frontend.avatica.GatewayMeta;
import dev.sluice.gateway.frontend.flight.FlightSqlFrontend;
import dev.sluice.gateway.frontend.http.AuditPageApi;
import dev.sluice.gateway.frontend.http.AuditPageAssets;
import dev.sluice.gateway.frontend.http.AuthTokenRoute;
import dev.sluice.gateway.frontend.http.CorsPolicy;
import dev.sluice.gateway.frontend.http.HttpAuthentication;
import dev.sluice.gateway.frontend.http.HttpEndpoint;
import dev.sluice.gateway.frontend.http.HttpServer;
import dev.sluice.gateway.frontend.http.HttpServerConfig;
import dev.sluice.gateway.frontend.http.QueryRoute;
import dev.sluice.gateway.frontend.http.ServerTls;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.calcite.avatica.remote.LocalService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the warehouses, builds the virtual catalog and the query engine, and
 * serves them through the protocol frontends. Nothing happens until {@link #start()}.
 */
public final class GatewayServer implements AutoCloseable {
  static {
    // Embedded use has no main of ours: settings Calcite reads as it loads.
    dev.sluice.gateway.engine.CalciteSettings.apply();
  }

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final GatewayConfig config;
  private final VariableResolver variables;
  private final List<Warehouse> warehouses = new ArrayList<>();
  private PolicySource policySource;
  private ScheduledExecutorService reaper;
  /** A result set nobody fetched from for this long holds a warehouse connection for nothing. */
  static final Duration ABANDONED_CURSOR = Duration.ofMinutes(5);
  static final Duration ABANDONED_CONNECTION = Duration.ofMinutes(30);
  private QueryEngine engine;
  private GatewayMeta meta;
  private HttpServer httpServer;
  private GatewayMetrics metrics;
  private Admission admission;
  private ReadinessMonitor readiness;
  private QueryRoute queryRoute;
  private FlightSqlFrontend flightFrontend;
  // Opened first and closed last: nothing may run while it cannot record.
  private volatile AuditLog auditLog;

  public GatewayServer(GatewayConfig config) {
    this(config, VariableResolver.environment());
  }

  /** {@code variables} resolve the policy file's {@code salt_env} references. */
  public GatewayServer(GatewayConfig config, VariableResolver variables) {
    this.config = requireNonNull(config, "config is null");
    this.variables = requireNonNull(variables, "variables is null");
  }

  public synchronized void start() {
    if (httpServer != null) {
      return;
    }
    try {
      metrics = new GatewayMetrics();
      for (WarehouseConfig warehouse : config.warehouses()) {
        warehouses.add(ProtectedWarehouses.open(warehouse, Optional.of(metrics.poolMetrics())));
      }
      VirtualCatalog catalog = VirtualCatalog.build(config.schema(), warehouses)
          .withGatewayTables(List.of(QueryLogTable.gatewayTable(new AuditReader(config.audit().directory()))));
      policySource = new PolicySource(config.policies(), variables);
      Governance governance = new Governance(catalog, policySource.load());
      policySource.watch(governance);
      admission = new Admission(config.limits(), config.warehouses(), config.engine(), metrics);
      metrics.watch(admission);
      // Before anything can run a query; after the configuration proved usable, so that a
      // gateway that cannot start leaves no audit directory behind.
      auditLog = AuditLog.open(config.audit());
      AuditTrail auditTrail = new AuditTrail(auditLog, config.audit().redactLiterals(), governance::policies);
      engine = new QueryEngine(
          catalog, governance, config.engine(), StrictPushdown.of(config.warehouses()), admission, metrics,
          auditTrail);
      engine.start();
      meta = new GatewayMeta(engine);
      GatewayMeta avaticaMeta = meta;
      reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-avatica-reaper");
        thread.setDaemon(true);
        return thread;
      });
      reaper.scheduleWithFixedDelay(
          () -> avaticaMeta.closeIdle(ABANDONED_CURSOR, ABANDONED_CONNECTION), 30, 30, TimeUnit.SECONDS);
      RequestAuthenticator authenticator = requestAuthenticator(auditTrail);
      AvaticaRoute avatica = new AvaticaRoute(
          authenticator, new LocalService(meta), bytes -> metrics.bytesStreamed(Protocol.AVATICA, bytes));
      List<HttpEndpoint> endpoints = new ArrayList<>();
      endpoints.add(new HttpEndpoint(HttpMethod.POST, AvaticaRoute.PATH, avatica));
      queryRoute = new QueryRoute(engine, authenticator, bytes -> metrics.bytesStreamed(Protocol.HTTP, bytes));
      endpoints.addAll(browserEndpoints(authenticator, queryRoute));
      // Same origin only, never under CORS: the audit page is served by the gateway itself.
      endpoints.addAll(new AuditPageAssets().endpoints());
      endpoints.addAll(new AuditPageApi(engine, authenticator, auditTrail, Clock.systemUTC()).endpoints());
      endpoints.add(
          new PolicyReloadRoute(authenticator, policySource, governance, config.policies().adminRoles())
              .endpoint());
      endpoints.addAll(metricsRoutes(authenticator));
      HttpListenerConfig http = config.listeners().http();
      Optional<SslContext> tls =
          http.tls().map(files -> ServerTls.forServer(files.certificate(), files.privateKey(), "listeners.http.tls"));
      int handlerThreads = http.handlerThreadsFor(config.limits());
      httpServer = new HttpServer(
          HttpServerConfig.defaults(http.host(), http.port())
              .withThreads(0, handlerThreads, HttpServerConfig.DEFAULT_HANDLER_QUEUE_CAPACITY),
          endpoints,
          tls);
      httpServer.start();
      LOG.info(
          "Sluice serves Avatica and Arrow over HTTP ({}) on {}://{}:{} with {} handler threads",
          QueryRoute.PATH, tls.isPresent() ? "https" : "http", http.host(), httpServer.port(), handlerThreads);
      // ---- Arrow Flight SQL: its own listener, sharing the engine and the authenticator (and so
      // the bearer tokens) with HTTP.
      FlightListenerConfig flight = config.listeners().flight();
      if (flight.enabled()) {
        flightFrontend = new FlightSqlFrontend(
            flight, engine, authenticator, bytes -> metrics.bytesStreamed(Protocol.FLIGHT_SQL, bytes));
        flightFrontend.start();
        LOG.info("Sluice serves Flight SQL on {}://{}:{}",
            flight.tls().isPresent() ? "grpc+tls" : "grpc", flight.host(), flightFrontend.port());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** {@code /metrics}, {@code /healthz} and {@code /readyz}; readiness starts checking the warehouses. */
  private List<HttpEndpoint> metricsRoutes(RequestAuthenticator authenticator) {
    readiness = new ReadinessMonitor(config.metrics().readinessInterval());
    warehouses.forEach(warehouse -> readiness.add(new WarehouseReachability(warehouse)));
    AuditLog audit = auditLog;
    readiness.add(new ReadinessCheck() {
      @Override
      public String name() {
        return "audit";
      }

      @Override
      public Status current() {
        if (!audit.enabled()) {
          return Status.ready("audit log disabled");
        }
        return audit.writable()
            ? Status.ready("writable: " + audit.directory())
            : Status.notReady("cannot write " + audit.directory() + ": queries are refused");
      }
    });
    readiness.start();
    return new MetricsRoutes(
            metrics, readiness, new HttpAuthentication(authenticator), config.metrics().requiredRole())
        .endpoints();
  }

  /** What the CDP UI calls, open to the configured origins when CORS is on. */
  private List<HttpEndpoint> browserEndpoints(RequestAuthenticator authenticator, QueryRoute query) {
    List<HttpEndpoint> endpoints = new ArrayList<>(new AuthTokenRoute(new HttpAuthentication(authenticator)).endpoints());
    endpoints.addAll(query.endpoints());
    return config.listeners().http().cors()
        .map(cors -> new CorsPolicy(cors::allows, cors.maxAge()).apply(endpoints))
        .orElse(endpoints);
  }

  private RequestAuthenticator requestAuthenticator(AuditTrail auditTrail) {
    AuthConfig auth = config.auth();
    return new RequestAuthenticator(
        new Authenticator(config.users()),
        new TokenStore(auth.tokenTtl(), auth.maxTokens()),
        new LoginThrottle(auth.maxFailedLogins(), auth.failedLoginWindow(), auth.lockout()),
        auditTrail);
  }

  /** The audit log, while the server runs (for readiness, metrics and benchmarks). */
  public Optional<AuditLog> auditLog() {
    return Optional.ofNullable(auditLog);
  }

  /**
   * Whether the audit log can record queries, for {@code /readyz}: while it cannot, every query
   * is refused, so the gateway is not ready. False before start and after close.
   */
  public BooleanSupplier auditReadiness() {
    return () -> {
      AuditLog log = auditLog;
      return log != null && log.writable();
    };
  }

  /** The port the HTTP listener (Avatica) is bound to; differs from the configured one when that was 0. */
  public synchronized int httpPort() {
    if (httpServer == null) {
      throw new IllegalStateException("The server is not started");
    }
    return httpServer.port();
  }

  /**
   * The port the Flight SQL listener is bound to; differs from the configured one when that was 0.
   *
   * @throws IllegalStateException when the server is not started or {@code listeners.flight} is disabled
   */
  public synchronized int flightPort() {
    if (flightFrontend == null) {
      throw new IllegalStateException(
          httpServer == null ? "The server is not started" : "The Flight SQL listener is disabled");
    }
    return flightFrontend.port();
  }

  /** Closes abandoned Avatica result sets and connections now (the reaper does it every 30 s). */
  public synchronized int closeAbandoned(Duration cursorIdle, Duration connectionIdle) {
    return meta == null ? 0 : meta.closeIdle(cursorIdle, connectionIdle);
  }

  public synchronized QueryEngine engine() {
    return engine;
  }

  /** The server's metrics registry and recorders; null before {@link #start()}. */
  public synchronized GatewayMetrics metrics() {
    return metrics;
  }

  public synchronized Admission admission() {
    return admission;
  }

  public synchronized ReadinessMonitor readiness() {
    return readiness;
  }

  public GatewayConfig config() {
    return config;
  }

  @Override
  public synchronized void close() {
    // Before the engine: closing cancels the Flight queries still streaming.
    if (flightFrontend != null) {
      flightFrontend.close();
      flightFrontend = null;
    }
    if (httpServer != null) {
      httpServer.close();
      httpServer = null;
    }
    if (readiness != null) {
      readiness.close();
      readiness = null;
    }
    if (queryRoute != null) {
      queryRoute.close();
      queryRoute = null;
    }
    if (reaper != null) {
      reaper.shutdownNow();
      reaper = null;
    }
    if (policySource != null) {
      policySource.close();
      policySource = null;
    }
    if (meta != null) {
      meta.closeAll();
      meta = null;
    }
    if (engine != null) {
      engine.close();
      engine = null;
    }
    for (Warehouse warehouse : warehouses) {
      try {
        warehouse.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Closing warehouse {} failed: {}", warehouse.name(), e.toString());
      }
    }
    warehouses.clear();
    if (auditLog != null) {
      auditLog.close();
      auditLog = null;
    }
  }
}
