package dev.sluice.gateway.frontend.avatica;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.TypedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avatica's backend for Sluice: turns Avatica RPCs into calls on the {@link QueryEngine} and the
 * engine's cursors into Avatica frames. Connections belong to the principal that opened them; a
 * request authenticated as anyone else cannot see or use them.
 */
public final class GatewayMeta extends MetaImpl {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMeta.class);
  /** The stock driver asks for this many rows per frame unless the application set a fetch size. */
  private static final int AVATICA_DEFAULT_FETCH_SIZE = 100;

  private final QueryEngine engine;
  private final AvaticaMetadata metadata;
  private final Map<String, ConnectionState> connections = new ConcurrentHashMap<>();
  private final AtomicInteger statementIds = new AtomicInteger();

  public GatewayMeta(QueryEngine engine) {
    super(null);
    this.engine = requireNonNull(engine, "engine is null");
    this.metadata = new AvaticaMetadata(engine.governance());
  }

  // ---- connections -------------------------------------------------------------------------

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    guard(() -> {
      // The purpose is the connection's for its lifetime: every query and metadata call on it.
      Principal principal = currentPrincipal().withPurpose(purpose(info));
      ConnectionState previous =
          connections.putIfAbsent(ch.id, new ConnectionState(principal, clientApplication(info)));
      if (previous != null && !previous.principal.user().equals(principal.user())) {
        throw new GatewayException(ErrorCode.ACCESS_DENIED, "Connection id already in use");
      }
      return null;
    });
  }

  @Override
  public void closeConnection(ConnectionHandle ch) {
    guard(() -> {
      ConnectionState state = connection(ch.id);
      connections.remove(ch.id);
      state.statements.values().forEach(StatementState::close);
      return null;
    });
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties properties) {
    return guard(() -> {
      ConnectionState state = connection(ch.id);
      // Sluice is read-only: accept the client's settings but always report read-only.
      state.properties.merge(properties);
      state.properties.setReadOnly(true);
      state.properties.setDirty(false);
      return state.properties;
    });
  }

  @Override
  public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch) {
    return guard(() -> {
      connection(ch.id);
      return metadata.databaseProperties();
    });
  }

  @Override
  public void commit(ConnectionHandle ch) {
    guard(() -> connection(ch.id));
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    guard(() -> connection(ch.id));
  }

  // ---- statements --------------------------------------------------------------------------

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    return guard(() -> {
      ConnectionState state = connection(ch.id);
      int id = statementIds.incrementAndGet();
      state.statements.put(id, new StatementState());
      return new StatementHandle(ch.id, id, null);
    });
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    return guard(() -> {
      ConnectionState state = connection(ch.id);
      QueryPlan plan = engine.prepare(queryContext(state), sql);
      int id = statementIds.incrementAndGet();
      StatementState statement = new StatementState();
      statement.plan = plan;
      statement.maxRowCount = maxRowCount;
      state.statements.put(id, statement);
      return new StatementHandle(ch.id, id, signature(plan));
    });
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
      throws NoSuchStatementException {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h,
      String sql,
      long maxRowCount,
      int maxRowsInFirstFrame,
      PrepareCallback callback)
      throws NoSuchStatementException {
    return guardStatement(h, () -> {
      ConnectionState state = connection(h.connectionId);
      StatementState statement = statement(state, h);
      QueryPlan plan = engine.prepare(queryContext(state), sql);
      if (!plan.parameterTypes().isEmpty()) {
        throw new GatewayException(
            ErrorCode.INVALID_PARAMETER,
            "The query has parameters: use a PreparedStatement to bind them");
      }
      statement.plan = plan;
      statement.maxRowCount = maxRowCount;
      Signature signature = signature(plan);
      try {
        synchronized (callback.getMonitor()) {
          callback.clear();
          callback.assign(signature, null, -1);
        }
        callback.execute();
      } catch (java.sql.SQLException e) {
        throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Statement callback failed", e);
      }
      Frame first = start(state, statement, List.of(), maxRowsInFirstFrame);
      return new ExecuteResult(
          List.of(MetaResultSet.create(h.connectionId, h.id, false, signature, first)));
    });
  }

  @Override
  public ExecuteResult execute(
      StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
      throws NoSuchStatementException {
    return execute(h, parameterValues, (int) Math.min(maxRowCount, Integer.MAX_VALUE));
  }

  @Override
  public ExecuteResult execute(
      StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    return guardStatement(h, () -> {
      ConnectionState state = connection(h.connectionId);
      StatementState statement = statement(state, h);
      if (statement.plan == null) {
        throw new GatewayException(
            ErrorCode.NO_SUCH_STATEMENT, "The statement has not been prepared");
      }
      Frame first = start(state, statement, jdbcValues(parameterValues), maxRowsInFirstFrame);
      return new ExecuteResult(
          List.of(
              MetaResultSet.create(h.connectionId, h.id, false, signature(statement.plan), first)));
    });
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
      throws NoSuchStatementException, MissingResultsException {
    return guardStatement(h, () -> {
      ConnectionState state = connection(h.connectionId);
      StatementState statement = statement(state, h);
      if (statement.cursor == null) {
        throw new GatewayException(
            ErrorCode.NO_SUCH_STATEMENT, "The statement has no open result set to fetch from");
      }
      return nextFrame(statement, offset, fetchMaxRowCount);
    });
  }

  @Override
  public void closeStatement(StatementHandle h) {
    guard(() -> {
      ConnectionState state = connections.get(h.connectionId);
      if (state != null && state.principal.user().equals(currentPrincipal().user())) {
        StatementState statement = state.statements.remove(h.id);
        if (statement != null) {
          statement.close();
        }
      }
      return null;
    });
  }

  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    // Only needed for failover between servers; Sluice keeps cursors where they were opened.
    return false;
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
    throw refusedBatch();
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
    throw refusedBatch();
  }

  private AvaticaRuntimeException refusedBatch() {
    return toAvatica(
        new GatewayException(
            ErrorCode.NOT_READ_ONLY, "Batches are for writes, and Sluice serves read-only queries"));
  }

  // ---- metadata ----------------------------------------------------------------------------

  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return guardMetadata(ch, "getCatalogs", () -> metadata.catalogs(connection(ch.id).principal, ch.id, statementIds.incrementAndGet()));
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    return guardMetadata(ch, "getSchemas", () -> metadata.schemas(
        connection(ch.id).principal, ch.id, statementIds.incrementAndGet(), catalog, schemaPattern));
  }

  @Override
  public MetaResultSet getTables(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern, List<String> typeList) {
    return guardMetadata(ch, "getTables", () -> metadata.tables(
        connection(ch.id).principal, ch.id, statementIds.incrementAndGet(),
        catalog, schemaPattern, tableNamePattern, typeList));
  }

  @Override
  public MetaResultSet getColumns(
      ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern) {
    return guardMetadata(ch, "getColumns", () -> metadata.columns(
        connection(ch.id).principal, ch.id, statementIds.incrementAndGet(),
        catalog, schemaPattern, tableNamePattern, columnNamePattern));
  }

  @Override
  public MetaResultSet getTableTypes(ConnectionHandle ch) {
    return guardMetadata(ch, "getTableTypes", () -> metadata.tableTypes(connection(ch.id).principal, ch.id, statementIds.incrementAndGet()));
  }

  @Override
  public MetaResultSet getTypeInfo(ConnectionHandle ch) {
    return guard(() -> metadata.typeInfo(ch.id, statementIds.incrementAndGet()));
  }

  @Override
  public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table) {
    return guardMetadata(ch, "getPrimaryKeys", () -> metadata.primaryKeys(
        connection(ch.id).principal, ch.id, statementIds.incrementAndGet(), schema, table));
  }

  // ---- execution helpers -------------------------------------------------------------------

  private Frame start(
      ConnectionState state, StatementState statement, List<Object> parameters, int firstFrameRows) {
    statement.closeCursor();
    statement.delivered = 0;
    statement.cursor = engine.execute(queryContext(state), statement.plan, parameters, Optional.empty());
    return nextFrame(statement, 0, firstFrameRows);
  }

  private static QueryContext queryContext(ConnectionState state) {
    return new QueryContext(state.principal, Protocol.AVATICA, currentClientAddress(), state.clientApplication);
  }

  private Frame nextFrame(StatementState statement, long offset, int requestedRows) {
    int rows = frameRows(requestedRows);
    if (statement.maxRowCount > 0) {
      rows = (int) Math.max(0, Math.min(rows, statement.maxRowCount - statement.delivered));
    }
    List<Object[]> batch = rows == 0 ? List.of() : statement.cursor.fetch(rows);
    statement.delivered += batch.size();
    boolean done =
        statement.cursor.done()
            || (statement.maxRowCount > 0 && statement.delivered >= statement.maxRowCount);
    if (done) {
      statement.closeCursor();
    }
    List<Object> frameRows = new ArrayList<>(batch.size());
    for (Object[] row : batch) {
      frameRows.add(Arrays.asList(row));
    }
    return new Frame(offset, done, frameRows);
  }

  /**
   * Rows per frame. The stock driver asks for 100 rows unless the application set a fetch size,
   * which would cost 10,000 round trips per million rows; so the default and anything smaller
   * get the configured frame size, and larger requests are honoured up to the maximum.
   */
  private int frameRows(int requested) {
    int defaultRows = engine.config().defaultFrameRows();
    if (requested <= AVATICA_DEFAULT_FETCH_SIZE) {
      return defaultRows;
    }
    return Math.min(requested, engine.config().maxFrameRows());
  }

  private static Signature signature(QueryPlan plan) {
    return new Signature(
        AvaticaTypes.columns(plan.columns()),
        plan.sql(),
        AvaticaTypes.parameters(plan.parameterTypes()),
        null,
        CursorFactory.LIST,
        StatementType.SELECT);
  }

  private static List<Object> jdbcValues(List<TypedValue> values) {
    if (values == null) {
      return List.of();
    }
    Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    List<Object> result = new ArrayList<>(values.size());
    for (TypedValue value : values) {
      result.add(value == null ? null : value.toJdbc(utc));
    }
    return result;
  }

  // ---- state and errors --------------------------------------------------------------------

  private static Principal currentPrincipal() {
    return AvaticaCallContext.current()
        .map(AvaticaCallContext.CallContext::principal)
        .orElseThrow(
            () -> new GatewayException(ErrorCode.AUTHENTICATION_FAILED, "Not authenticated"));
  }

  private static Optional<String> currentClientAddress() {
    return AvaticaCallContext.current().map(AvaticaCallContext.CallContext::clientAddress);
  }

  /**
   * The application a JDBC client names in its connection properties ({@code applicationName},
   * as pgjdbc and many tools spell it, or {@code ApplicationName}); the stock driver sends every
   * property it was given, credentials included, so nothing else is kept.
   */
  private static Optional<String> clientApplication(Map<String, String> info) {
    for (String key : List.of("applicationName", "ApplicationName", "application_name")) {
      String value = info == null ? null : info.get(key);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.length() > 200 ? value.substring(0, 200) : value);
      }
    }
    return Optional.empty();
  }

  /** The purpose a JDBC client declares in its connection properties ({@code purpose}). */
  private static Optional<String> purpose(Map<String, String> info) {
    return Optional.ofNullable(info == null ? null : info.get("purpose"));
  }

  private ConnectionState connection(String id) {
    ConnectionState state = connections.get(id);
    // Another user's connection looks exactly like one that does not exist.
    if (state == null || !state.principal.user().equals(currentPrincipal().user())) {
      throw new GatewayException(
          ErrorCode.NO_SUCH_STATEMENT, "No open connection " + id + ": reconnect");
    }
    state.touch();
    return state;
  }

  private static StatementState statement(ConnectionState state, StatementHandle h) {
    StatementState statement = state.statements.get(h.id);
    if (statement == null) {
      throw new GatewayException(
          ErrorCode.NO_SUCH_STATEMENT, "No open statement " + h.id + " on this connection");
    }
    return statement;
  }

  /** {@link #guard}, auditing a refused metadata call (such as one without a required purpose). */
  private <T> T guardMetadata(ConnectionHandle ch, String name, Supplier<T> call) {
    return guard(() -> {
      try {
        return call.get();
      } catch (GatewayException e) {
        ConnectionState state = connections.get(ch.id);
        if (state != null) {
          engine.metadataRefused(queryContext(state), name, e);
        }
        throw e;
      }
    });
  }

  private <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (GatewayException e) {
      throw toAvatica(e);
    } catch (AvaticaRuntimeException e) {
      throw e;
    } catch (RuntimeException | AssertionError | StackOverflowError e) {
      // Calcite reports some unsupported plans with assertions; none may escape as a raw error.
      LOG.error("Unexpected failure serving an Avatica request", e);
      throw toAvatica(new GatewayException(ErrorCode.INTERNAL_ERROR, "Internal error in the gateway"));
    }
  }

  private <T> T guardStatement(StatementHandle h, Supplier<T> call) {
    return guard(call);
  }

  static AvaticaRuntimeException toAvatica(GatewayException e) {
    if (e.code().category() == ErrorCode.Category.INTERNAL
        || e.code().category() == ErrorCode.Category.WAREHOUSE) {
      LOG.warn("{}: {}", e.code(), e.getMessage(), e.getCause());
    }
    AvaticaRuntimeException avatica =
        new AvaticaRuntimeException(
            e.getMessage(), e.code().ordinal() + 1, e.sqlState(), AvaticaSeverity.ERROR);
    // Avatica serializes the stack trace into the error response; clients never see ours.
    avatica.setStackTrace(new StackTraceElement[0]);
    return avatica;
  }

  /** Column descriptions of Avatica's metadata record classes ({@code MetaTable}, ...). */
  static ColumnMetaData.StructType describe(Class<?> type) {
    return fieldMetaData(type);
  }

  /** Closes every open statement (at shutdown). */
  public void closeAll() {
    connections.values().forEach(c -> c.statements.values().forEach(StatementState::close));
    connections.clear();
  }

  private static final class ConnectionState {
    final Principal principal;
    final Optional<String> clientApplication;
    final Map<Integer, StatementState> statements = new ConcurrentHashMap<>();
    final ConnectionPropertiesImpl properties = new ConnectionPropertiesImpl();
    volatile long lastUsedNanos = System.nanoTime();

    ConnectionState(Principal principal, Optional<String> clientApplication) {
      this.principal = principal;
      this.clientApplication = clientApplication;
    }

    void touch() {
      lastUsedNanos = System.nanoTime();
    }
  }

  /**
   * Closes what clients abandoned. Avatica runs over stateless HTTP, so a client that vanished
   * (crash, network loss, a tool that never closes) is only visible as silence: an open result
   * set idle for {@code cursorIdle} is closed, which cancels its warehouse statement and returns
   * the warehouse connection to its pool; a connection idle for {@code connectionIdle} is
   * forgotten with all its statements.
   */
  public int closeIdle(Duration cursorIdle, Duration connectionIdle) {
    long now = System.nanoTime();
    int closed = 0;
    for (Map.Entry<String, ConnectionState> entry : connections.entrySet()) {
      long idle = now - entry.getValue().lastUsedNanos;
      if (idle > connectionIdle.toNanos()) {
        connections.remove(entry.getKey());
        entry.getValue().statements.values().forEach(StatementState::close);
        closed++;
      } else if (idle > cursorIdle.toNanos()) {
        for (StatementState statement : entry.getValue().statements.values()) {
          if (statement.cursor != null) {
            statement.closeCursor();
            closed++;
          }
        }
      }
    }
    if (closed > 0) {
      LOG.info("Closed {} abandoned Avatica result sets or connections", closed);
    }
    return closed;
  }

  private static final class StatementState {
    QueryPlan plan;
    QueryCursor cursor;
    long maxRowCount;
    long delivered;

    synchronized void closeCursor() {
      if (cursor != null) {
        cursor.cancel();
        cursor.close();
        cursor = null;
      }
    }

    void close() {
      closeCursor();
    }
  }

}
