package dev.sluice.dialects.duckdb;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import dev.sluice.dialects.DelegatingDataSource;
import javax.sql.DataSource;
import org.duckdb.DuckDBConnection;

/**
 * A DuckDB pool whose sessions keep the statements they prepared: DuckDB plans a statement when it
 * is prepared (about a quarter of a millisecond for a point query, as long as running it), so a
 * query the gateway runs again on a session that already prepared it skips that work.
 *
 * <p>{@code prepareStatement(sql)} on a pooled connection hands out a lease on the session's
 * statement for {@code sql}, prepared on first use. A leading block comment is not sent to DuckDB
 * and does not take part in the match: the gateway's attribution comment ({@code /* sluice
 * query_id=... *}{@code /}) is new for every execution, and DuckDB, which runs inside the gateway's
 * process, keeps no query history that could show it. Closing the lease closes its result sets and
 * gives the statement back to the session. A statement goes back only as it was prepared: one
 * that was canceled, failed, or had anything but its parameters and fetch size changed is closed
 * instead. A session keeps at most {@link #STATEMENTS_PER_SESSION} statements, closing the least
 * recently used; a statement in use by one lease is never handed to a second one (a second
 * prepare of the same SQL gets its own). Closing a pooled connection closes its open leases first,
 * each waiting for a call in flight, so that a session never goes back to the pool while one of its
 * statements runs. Statements die with their session, so a session the pool retires takes them
 * along.
 *
 * <p>Needs DuckDB 1.4.4 or later: under 1.4.2, re-executing prepared statements this way crashed
 * the JVM in native code ({@code TupleDataCollection::Combine}) in every run of the end-to-end
 * harness's corpus loop, and in none of three runs under 1.4.4. {@code -D}{@value #ENABLED_PROPERTY}
 * {@code =false} turns reuse off.
 */
final class StatementReusingDataSource extends DelegatingDataSource {
  static final int STATEMENTS_PER_SESSION = 64;
  /** The system property that turns statement reuse off when set to {@code false}. */
  public static final String ENABLED_PROPERTY = "sluice.duckdb.reuse_statements";

  /** Lease methods after which the statement is as it was prepared, apart from its parameters. */
  private static final Set<String> KEEPS_STATEMENT = Set.of(
      "executeQuery", "execute", "getResultSet", "getMetaData", "getParameterMetaData", "clearParameters",
      "setFetchSize", "getFetchSize", "getWarnings", "clearWarnings", "getConnection", "isClosed",
      "isWrapperFor", "unwrap", "getMoreResults", "getUpdateCount", "getQueryTimeout", "getMaxRows",
      "getResultSetType", "getResultSetConcurrency", "getFetchDirection", "toString", "hashCode", "equals");

  /** The statements each pooled session keeps, by SQL, least recently used first. */
  private final Map<DuckDBConnection, LinkedHashMap<String, PreparedStatement>> sessions = new IdentityHashMap<>();

  StatementReusingDataSource(DataSource pool) {
    super(pool);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection pooled = target.getConnection();
    return (Connection) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Connection.class}, new PooledConnection(pooled));
  }

  /** Statements the sessions keep, for tests. */
  synchronized int keptStatements() {
    return sessions.values().stream().mapToInt(Map::size).sum();
  }

  /** The SQL DuckDB prepares: {@code sql} without a leading block comment. */
  static String withoutLeadingComment(String sql) {
    String trimmed = sql.stripLeading();
    if (trimmed.startsWith("/*")) {
      int end = trimmed.indexOf("*/", 2);
      if (end >= 0) {
        return trimmed.substring(end + 2).stripLeading();
      }
    }
    return sql;
  }

  private synchronized PreparedStatement checkOut(DuckDBConnection session, String sql) throws SQLException {
    LinkedHashMap<String, PreparedStatement> kept = sessions.get(session);
    PreparedStatement statement = kept == null ? null : kept.remove(sql);
    if (statement != null && !statement.isClosed()) {
      return statement;
    }
    // A miss: forget the sessions the pool has closed since (their statements closed with them).
    sessions.keySet().removeIf(StatementReusingDataSource::isClosed);
    return null;
  }

  private void checkIn(DuckDBConnection session, String sql, PreparedStatement statement) {
    List<PreparedStatement> surplus = new ArrayList<>(1);
    synchronized (this) {
      if (isClosed(session)) {
        return;
      }
      LinkedHashMap<String, PreparedStatement> kept = sessions.computeIfAbsent(session, s -> new LinkedHashMap<>());
      PreparedStatement previous = kept.put(sql, statement);
      if (previous != null) {
        surplus.add(previous);
      }
      Iterator<PreparedStatement> oldest = kept.values().iterator();
      while (kept.size() > STATEMENTS_PER_SESSION) {
        surplus.add(oldest.next());
        oldest.remove();
      }
    }
    surplus.forEach(StatementReusingDataSource::closeQuietly);
  }

  private static boolean isClosed(Connection session) {
    try {
      return session.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // Closing a statement DuckDB already closed, or one of a closed session: nothing to free.
    }
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A pooled connection whose {@code prepareStatement(String)} leases the session's statement. */
  private final class PooledConnection implements InvocationHandler {
    private final Connection pooled;
    /** Leases not closed yet: closing the connection closes them first, as the pool does its own. */
    private final List<Lease> leases = new CopyOnWriteArrayList<>();

    PooledConnection(Connection pooled) {
      this.pooled = pooled;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("prepareStatement") && reusable(args)) {
        return lease((String) args[0]);
      }
      if (method.getName().equals("close")) {
        // The session must not go back to the pool while one of its statements still runs.
        leases.forEach(Lease::close);
        leases.clear();
      }
      if (method.getName().equals("equals")) {
        return proxy == args[0];
      }
      if (method.getName().equals("hashCode")) {
        return System.identityHashCode(proxy);
      }
      return StatementReusingDataSource.invoke(pooled, method, args);
    }

    /** {@code prepareStatement(sql)}, or with the default forward-only, read-only result sets. */
    private boolean reusable(Object[] args) {
      if (args == null || !(args[0] instanceof String)) {
        return false;
      }
      return args.length == 1
          || (args.length == 3
              && Integer.valueOf(ResultSet.TYPE_FORWARD_ONLY).equals(args[1])
              && Integer.valueOf(ResultSet.CONCUR_READ_ONLY).equals(args[2]));
    }

    private PreparedStatement lease(String sql) throws SQLException {
      DuckDBConnection session = pooled.unwrap(DuckDBConnection.class);
      String prepared = withoutLeadingComment(sql);
      PreparedStatement statement = checkOut(session, prepared);
      if (statement == null) {
        statement = session.prepareStatement(prepared);
      }
      Lease lease = new Lease(session, prepared, statement, leases::remove);
      leases.add(lease);
      return (PreparedStatement) Proxy.newProxyInstance(
          getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, lease);
    }
  }

  /** One use of a session's statement, from its prepare to its close. */
  private final class Lease implements InvocationHandler {
    private final DuckDBConnection session;
    private final String sql;
    private final PreparedStatement statement;
    private final Consumer<Lease> onClose;
    /**
     * Held by every call on the statement. A lease is used by one thread at a time, but it may be
     * canceled or closed from another: the close waits for a call in flight (an execution a cancel
     * is stopping, say) before the statement goes to anyone else, as DuckDB's own close does.
     */
    private final ReentrantLock inUse = new ReentrantLock();
    private final List<ResultSet> results = new CopyOnWriteArrayList<>();
    private volatile boolean reusable = true;
    private volatile boolean closed;

    Lease(DuckDBConnection session, String sql, PreparedStatement statement, Consumer<Lease> onClose) {
      this.session = session;
      this.sql = sql;
      this.statement = statement;
      this.onClose = onClose;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "close":
          close();
          return null;
        case "isClosed":
          return closed;
        case "cancel":
          cancel();
          return null;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          break;
      }
      inUse.lock();
      try {
        if (closed) {
          throw new SQLException("The statement is closed");
        }
        // Parameters are set again for every execution; anything else changes the statement.
        if (!KEEPS_STATEMENT.contains(name) && !(name.startsWith("set") && isParameter(args))) {
          reusable = false;
        }
        Object result = StatementReusingDataSource.invoke(statement, method, args);
        if (result instanceof ResultSet resultSet) {
          results.add(resultSet);
        }
        return result;
      } catch (Throwable e) {
        reusable = false;
        throw e;
      } finally {
        inUse.unlock();
      }
    }

    /** {@code setXxx(int parameterIndex, value...)}, as opposed to {@code setMaxRows(int)}. */
    private static boolean isParameter(Object[] args) {
      return args != null && args.length >= 2 && args[0] instanceof Integer;
    }

    /**
     * Cancels what this lease runs (without the in-use lock, which the execution holds); once the
     * lease is closed the statement may be another query's, so a late cancel does nothing. The
     * monitor keeps the close from starting while a cancel reaches the statement.
     */
    private synchronized void cancel() throws SQLException {
      if (closed) {
        return;
      }
      reusable = false;
      statement.cancel();
    }

    void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      inUse.lock();
      try {
        onClose.accept(this);
        results.forEach(StatementReusingDataSource::closeQuietly);
        if (reusable && !isClosed(session)) {
          try {
            statement.clearParameters();
            if (!statement.isClosed()) {
              checkIn(session, sql, statement);
              return;
            }
          } catch (SQLException e) {
            // Not in a state to be handed on: closed below.
          }
        }
        closeQuietly(statement);
      } finally {
        inUse.unlock();
      }
    }
  }
}
