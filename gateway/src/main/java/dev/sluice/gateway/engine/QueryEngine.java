package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.sluice.dialects.Warehouse;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.admission.Admission;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.catalog.GovernedView;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.catalog.VirtualCatalog;
import dev.sluice.gateway.config.EngineConfig;
import dev.sluice.policies.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

/**
 * The one path every protocol uses: plan (through the plan cache), then execute a plan as a
 * streaming {@link QueryCursor} on the warehouses, with a timeout that cancels the warehouse
 * statement.
 */
public final class QueryEngine implements AutoCloseable {
  private final VirtualCatalog catalog;
  private final Governance governance;
  private final EngineConfig config;
  private final QueryPlanner planner;
  private final StrictPushdown strictPushdown;
  private final Cache<PlanKey, QueryPlan> planCache;
  private final Admission admission;
  private final GatewayMetrics metrics;
  private final QueryAudit audit;
  private ScheduledThreadPoolExecutor timeouts;
  private ExecutorService releasers;

  public QueryEngine(VirtualCatalog catalog, Governance governance, EngineConfig config) {
    this(catalog, governance, config, StrictPushdown.none());
  }

  public QueryEngine(
      VirtualCatalog catalog, Governance governance, EngineConfig config, StrictPushdown strictPushdown) {
    this(catalog, governance, config, strictPushdown, Admission.unlimited(config), new GatewayMetrics());
  }

  /** An engine whose queries pass {@code admission} and are recorded in {@code metrics}. */
  public QueryEngine(
      VirtualCatalog catalog,
      Governance governance,
      EngineConfig config,
      StrictPushdown strictPushdown,
      Admission admission,
      GatewayMetrics metrics) {
    this(catalog, governance, config, strictPushdown, admission, metrics, QueryAudit.NONE);
  }

  /** An engine without limits whose queries are recorded in {@code audit}. */
  public QueryEngine(
      VirtualCatalog catalog,
      Governance governance,
      EngineConfig config,
      StrictPushdown strictPushdown,
      QueryAudit audit) {
    this(catalog, governance, config, strictPushdown, Admission.unlimited(config), new GatewayMetrics(), audit);
  }

  /**
   * An engine whose queries pass {@code admission}, are recorded in {@code metrics} and written
   * ahead to {@code audit}.
   */
  public QueryEngine(
      VirtualCatalog catalog,
      Governance governance,
      EngineConfig config,
      StrictPushdown strictPushdown,
      Admission admission,
      GatewayMetrics metrics,
      QueryAudit audit) {
    this.admission = requireNonNull(admission, "admission is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.governance = requireNonNull(governance, "governance is null");
    this.config = requireNonNull(config, "config is null");
    this.strictPushdown = requireNonNull(strictPushdown, "strictPushdown is null");
    this.planner = new QueryPlanner(catalog);
    this.planCache = CacheBuilder.newBuilder().maximumSize(config.planCacheSize()).build();
  }

  public synchronized void start() {
    if (timeouts == null) {
      ScheduledThreadPoolExecutor scheduler =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread thread = new Thread(runnable, "sluice-query-timeouts");
                thread.setDaemon(true);
                return thread;
              });
      // Nearly every timer is canceled long before it is due (two per query, due after the query
      // timeout): kept until then, they would pile up by the hundred thousand under load.
      scheduler.setRemoveOnCancelPolicy(true);
      timeouts = scheduler;
    }
    if (releasers == null) {
      // Unbounded but idle most of the time: one short task per stopped query.
      releasers =
          Executors.newCachedThreadPool(
              runnable -> {
                Thread thread = new Thread(runnable, "sluice-query-release");
                thread.setDaemon(true);
                return thread;
              });
    }
  }

  public VirtualCatalog catalog() {
    return catalog;
  }

  public EngineConfig config() {
    return config;
  }

  public Admission admission() {
    return admission;
  }

  /** Timers waiting in the timeout scheduler (for tests: canceled ones must not stay). */
  int scheduledTimers() {
    ScheduledThreadPoolExecutor scheduler = timeouts;
    return scheduler == null ? 0 : scheduler.getQueue().size();
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * Plans {@code sql} as {@code principal} sees the virtual schema. Plans are cached by SQL text
   * and by what the principal may see, so two principals with different views never share one; a
   * cache hit returns the cached plan itself. A refusal is audited as an in-process request.
   */
  public QueryPlan prepare(Principal principal, String sql) {
    requireNonNull(principal, "principal is null");
    return audited(QueryContext.embedded(principal), sql, () -> plan(principal, sql));
  }

  /**
   * Plans {@code sql} for the caller {@code context} describes, like {@link #prepare(Principal,
   * String)}; the plan carries how long this took, and a refusal is audited with the caller.
   */
  public QueryPlan prepare(QueryContext context, String sql) {
    requireNonNull(context, "context is null");
    long started = System.nanoTime();
    QueryPlan plan = audited(context, sql, () -> plan(context.principal(), sql));
    return plan.withPlanningTime(Duration.ofNanos(System.nanoTime() - started));
  }

  private QueryPlan audited(QueryContext context, String sql, Supplier<QueryPlan> planning) {
    requireNonNull(sql, "sql is null");
    try {
      return planning.get();
    } catch (GatewayException e) {
      audit.rejected(context, sql, e, hiddenReferences(context, sql, e), QueryAudit.Stage.PLANNING);
      throw e;
    }
  }

  private List<String> hiddenReferences(QueryContext context, String sql, GatewayException failure) {
    if (failure.code() != ErrorCode.UNKNOWN_OBJECT) {
      return List.of();
    }
    try {
      return HiddenReferences.in(sql, catalog, governance.viewOf(context.principal()));
    } catch (GatewayException e) {
      // The refusal itself is what must be recorded; its details are a bonus.
      return List.of();
    }
  }

  private QueryPlan plan(Principal principal, String sql) {
    GovernedView view = governance.viewOf(principal);
    PlanKey key = new PlanKey(view.fingerprint(), sql);
    QueryPlan cached = planCache.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    long started = System.nanoTime();
    QueryPlan plan = planner.plan(sql, view);
    plan = plan.withPlanningTime(Duration.ofNanos(System.nanoTime() - started));
    // Before caching, so a refused plan is planned (and refused) again rather than kept.
    strictPushdown.check(plan);
    planCache.put(key, plan);
    return plan;
  }

  public Governance governance() {
    return governance;
  }

  /**
   * Starts running {@code plan}. The returned cursor must be closed; it holds a warehouse
   * connection until it is exhausted, canceled or closed.
   */
  public QueryCursor execute(
      Principal principal, QueryPlan plan, List<Object> parameters, Optional<Duration> clientTimeout) {
    return execute(QueryContext.embedded(principal), plan, parameters, clientTimeout);
  }

  /**
   * Audits a metadata call refused for the caller {@code context} describes (for example, one
   * without a purpose the caller's roles require); {@code call} names it, such as {@code getTables}.
   */
  public void metadataRefused(QueryContext context, String call, GatewayException failure) {
    audit.metadataRefused(requireNonNull(context, "context is null"), requireNonNull(call, "call is null"), failure);
  }

  /**
   * Starts running {@code plan} for the caller {@code context} describes; every frontend comes
   * through here, so this is where admission and the audit log take part. Admission slots are
   * taken before any warehouse connection and given back exactly once, when the query ends.
   */
  public QueryCursor execute(
      QueryContext context, QueryPlan plan, List<Object> parameters, Optional<Duration> clientTimeout) {
    requireNonNull(context, "context is null");
    Principal principal = context.principal();
    requireNonNull(plan, "plan is null");
    List<Object> jdbcParameters;
    try {
      Parameters.check(plan.parameterTypes(), parameters);
      jdbcParameters = Parameters.jdbcValues(plan.parameterTypes(), parameters);
    } catch (GatewayException e) {
      audit.rejected(context, plan.sql(), e, List.of(), QueryAudit.Stage.EXECUTION);
      throw e;
    }
    Duration timeout = effectiveTimeout(principal, clientTimeout);
    QueryAttribution attribution = QueryAttribution.newQuery(principal.user());
    List<String> warehouses = plan.warehouses();
    QueryLifecycle lifecycle = new QueryLifecycle(
        metrics, context.protocol(), warehouses.isEmpty() ? GatewayMetrics.NO_WAREHOUSE : String.join("+", warehouses));
    // Write-ahead, in two steps: the started record is handed to the log now (refusing the query
    // at once when the log is known to be down) and becomes durable while the query waits for
    // admission, so that no admission slot is held waiting for the disk; the query reaches a
    // warehouse only once the record is durable. A query a limit refuses after this point is
    // recorded by its finished record, with status rejected.
    QueryAudit.AuditedQuery audited;
    try {
      audited = audit.started(context, plan, attribution.queryId());
    } catch (GatewayException e) {
      lifecycle.failed(e.code());
      throw e;
    } catch (RuntimeException e) {
      lifecycle.failed(ErrorCode.INTERNAL_ERROR);
      throw e;
    }
    long admissionStarted = System.nanoTime();
    try {
      if (!warehouses.isEmpty()) {
        lifecycle.admitted(admission.admit(principal, warehouses));
      }
    } catch (GatewayException e) {
      lifecycle.failed(e.code());
      audited.queueWait(Duration.ofNanos(System.nanoTime() - admissionStarted));
      audited.rejected(e);
      throw e;
    } catch (RuntimeException e) {
      lifecycle.failed(ErrorCode.INTERNAL_ERROR);
      audited.failed(e);
      throw e;
    }
    Duration queueWait = Duration.ofNanos(System.nanoTime() - admissionStarted);
    audited.queueWait(queueWait);
    try {
      audited.awaitDurable();
      return audited.track(run(plan, jdbcParameters, timeout, attribution, lifecycle));
    } catch (GatewayException e) {
      lifecycle.failed(e.code());
      audited.failed(e);
      throw e;
    } catch (RuntimeException e) {
      lifecycle.failed(ErrorCode.INTERNAL_ERROR);
      audited.failed(e);
      throw e;
    }
  }

  private QueryCursor run(
      QueryPlan plan,
      List<Object> jdbcParameters,
      Duration timeout,
      QueryAttribution attribution,
      QueryLifecycle lifecycle) {
    QueryPlan.Execution execution = plan.execution();
    if (execution instanceof QueryPlan.WholePushdown whole) {
      return pushdownCursor(plan, whole.pushdown(), jdbcParameters, timeout, attribution, lifecycle);
    }
    if (execution instanceof QueryPlan.Federated federated) {
      return federatedCursor(plan, federated, jdbcParameters, timeout, attribution, lifecycle);
    }
    RowCursor explain = explainCursor(plan);
    return new EngineCursor(
        plan.columns(), explain, attribution, lifecycle, reason -> explain.cancel(), Runnable::run);
  }

  /** The principal's timeout (its roles', else the engine's) or the client's, whichever is smaller. */
  private Duration effectiveTimeout(Principal principal, Optional<Duration> clientTimeout) {
    Duration configured = admission.queryTimeout(principal);
    return clientTimeout
        .filter(t -> !t.isZero() && !t.isNegative())
        .filter(t -> t.compareTo(configured) < 0)
        .orElse(configured);
  }

  private RowCursor explainCursor(QueryPlan plan) {
    List<Object[]> rows = new ArrayList<>();
    for (String line : plan.explainText().split("\n")) {
      rows.add(new Object[] {line});
    }
    return new ListCursor(rows);
  }

  private QueryCursor pushdownCursor(
      QueryPlan plan,
      QueryPlan.Pushdown pushdown,
      List<Object> parameters,
      Duration timeout,
      QueryAttribution attribution,
      QueryLifecycle lifecycle) {
    Warehouse warehouse =
        catalog
            .warehouse(pushdown.warehouse())
            .orElseThrow(
                () -> new GatewayException(
                    ErrorCode.INTERNAL_ERROR, "No warehouse named " + pushdown.warehouse()));
    Connection connection = null;
    PreparedStatement statement = null;
    try {
      connection = warehouse.dataSource().getConnection();
      // The comment is added here, not in the plan: plans are cached and shared by every user.
      statement =
          connection.prepareStatement(
              attribution.attach(pushdown.sql()), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(config.defaultFrameRows());
      List<Integer> order = pushdown.parameterOrder();
      for (int i = 0; i < order.size(); i++) {
        statement.setObject(i + 1, parameters.get(order.get(i)));
      }
      PreparedStatement running = statement;
      // Set before the cancel, so the failure it causes is known as the timeout's even while the
      // timer task is still returning (the future is done only after it has).
      AtomicBoolean timedOut = new AtomicBoolean();
      ScheduledFuture<?> timer =
          schedule(timeout, () -> {
            timedOut.set(true);
            cancelQuietly(running);
          });
      ResultSet resultSet;
      try {
        resultSet = statement.executeQuery();
      } catch (SQLException e) {
        if (timedOut.get()) {
          throw StopReason.timedOut(timeout).exception();
        }
        throw e;
      } finally {
        timer.cancel(false);
      }
      JdbcCursor cursor =
          new JdbcCursor(warehouse.name(), connection, statement, resultSet, plan.executedColumns());
      return withTimeout(plan, cursor, timeout, cursor::stop, attribution, lifecycle);
    } catch (SQLException e) {
      closeQuietly(statement);
      closeQuietly(connection);
      throw Warehouses.failure(warehouse.name(), e);
    } catch (RuntimeException e) {
      closeQuietly(statement);
      closeQuietly(connection);
      throw e;
    }
  }

  private QueryCursor federatedCursor(
      QueryPlan plan,
      QueryPlan.Federated federated,
      List<Object> parameters,
      Duration timeout,
      QueryAttribution attribution,
      QueryLifecycle lifecycle) {
    AtomicBoolean cancelFlag = new AtomicBoolean();
    // The generated code's pushdown SQL is a constant; it reaches the warehouses through the data
    // sources under this execution's root, which add the attribution comment and tell admission
    // which warehouse failed to connect.
    FederatedDataContext context =
        new FederatedDataContext(
            catalog.physicalRootWith(dataSource -> AttributingDataSource.wrap(
                reportingFailures(dataSource, lifecycle), attribution)),
            catalog.typeFactory(),
            plan.parameterTypes(),
            parameters,
            cancelFlag,
            federated.stash());
    try {
      Enumerable<Object> enumerable = federated.bindable().bind(context);
      Enumerator<Object> enumerator = enumerable.enumerator();
      FederatedCursor cursor = new FederatedCursor(enumerator, cancelFlag, plan.executedColumns().size());
      return withTimeout(plan, cursor, timeout, cursor::stop, attribution, lifecycle);
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      if (cause instanceof SQLException sql) {
        throw Warehouses.failure("(federated)", sql);
      }
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "The federated query failed to start", e);
    }
  }

  private DataSource reportingFailures(DataSource dataSource, QueryLifecycle lifecycle) {
    for (Warehouse warehouse : catalog.warehouses()) {
      if (warehouse.dataSource() == dataSource) {
        return ConnectionFailureReporting.wrap(
            dataSource, () -> lifecycle.ticket().connectionFailed(warehouse.name()));
      }
    }
    return dataSource;
  }

  /** Arms the query timeout for the rest of the cursor's life (fetching included). */
  private QueryCursor withTimeout(
      QueryPlan plan,
      RowCursor cursor,
      Duration timeout,
      Consumer<StopReason> stop,
      QueryAttribution attribution,
      QueryLifecycle lifecycle) {
    RowCursor rows = plan.executedColumns().size() > plan.columns().size()
        ? new FoldedGroupsCursor(cursor, plan.executedColumns())
        : cursor;
    EngineCursor engineCursor =
        new EngineCursor(plan.columns(), rows, attribution, lifecycle, stop, releaser());
    engineCursor.arm(schedule(timeout, () -> engineCursor.timedOut(StopReason.timedOut(timeout))));
    return engineCursor;
  }

  private Executor releaser() {
    ExecutorService executor = releasers;
    if (executor == null) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "The query engine is not started");
    }
    return executor;
  }

  private ScheduledFuture<?> schedule(Duration delay, Runnable action) {
    ScheduledExecutorService scheduler = timeouts;
    if (scheduler == null) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "The query engine is not started");
    }
    return scheduler.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void cancelQuietly(PreparedStatement statement) {
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException ignored) {
      // The statement may have finished; nothing left to cancel.
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception ignored) {
        // Already failing; the original error is what the client needs.
      }
    }
  }

  @Override
  public synchronized void close() {
    if (timeouts != null) {
      timeouts.shutdownNow();
      timeouts = null;
    }
    if (releasers != null) {
      releasers.shutdown();
      releasers = null;
    }
  }

  private record PlanKey(String viewFingerprint, String sql) {}
}
