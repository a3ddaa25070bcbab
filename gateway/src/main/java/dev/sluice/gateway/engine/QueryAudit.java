package dev.sluice.gateway.engine;

import dev.sluice.gateway.GatewayException;
import java.time.Duration;
import java.util.List;

/**
 * The audit log as the engine sees it: told about every execution before any warehouse sees its
 * SQL and again when it ends, and about every request refused before it ran. The gateway's
 * implementation is {@code dev.sluice.gateway.audit.AuditTrail}; {@link #NONE} records nothing.
 */
public interface QueryAudit {
  /**
   * Where a request was refused before anything ran. (A query a concurrency limit refuses has its
   * started record already: its finished record says {@code rejected}, at stage admission.)
   */
  enum Stage {
    /** Parsing, validation, policies (denied or unknown tables and columns), strict pushdown. */
    PLANNING,
    /** The execution request itself was invalid, such as a wrong number of parameters. */
    EXECUTION,
    /** A metadata call (schemas, tables, columns, keys), such as one without a required purpose. */
    METADATA
  }

  /**
   * Records that {@code plan} was accepted to run as {@code queryId}, before it waits for
   * admission: returns at once, the record becoming durable meanwhile. The query must not reach a
   * warehouse before {@link AuditedQuery#awaitDurable()} returns.
   *
   * @throws GatewayException with {@code AUDIT_UNAVAILABLE} when the log is known not to be
   *     writable: the query must then not run
   */
  AuditedQuery started(QueryContext context, QueryPlan plan, String queryId);

  /**
   * Records a request refused before it ran; {@code deniedReferences} are the names in {@code sql}
   * that exist but are hidden from the principal.
   */
  void rejected(
      QueryContext context, String sql, GatewayException failure, List<String> deniedReferences, Stage stage);

  /**
   * Records a refused metadata call; {@code call} names it as the client made it (such as
   * {@code getTables}), without its arguments.
   */
  void metadataRefused(QueryContext context, String call, GatewayException failure);

  /** One execution being audited, from its started record to its finished one. */
  interface AuditedQuery {
    /**
     * Returns once the started record is durable (write-ahead).
     *
     * @throws GatewayException with {@code AUDIT_UNAVAILABLE} when it could not be made durable in
     *     time: the query must then not run
     */
    void awaitDurable();

    /** A concurrency limit refused the query after its started record; writes the finished record. */
    void rejected(GatewayException failure);

    /** How long the query waited for admission; reported in its finished record. */
    void queueWait(Duration wait);

    /** {@code cursor}, counting what it returns and writing the finished record when it is closed. */
    QueryCursor track(QueryCursor cursor);

    /** The query failed before it had a cursor; writes the finished record. */
    void failed(RuntimeException failure);
  }

  /** Records nothing (embedded use and tests that do not need an audit log). */
  QueryAudit NONE = new QueryAudit() {
    @Override
    public AuditedQuery started(QueryContext context, QueryPlan plan, String queryId) {
      return new AuditedQuery() {
        @Override
        public void awaitDurable() {}

        @Override
        public void rejected(GatewayException failure) {}

        @Override
        public void queueWait(Duration wait) {}

        @Override
        public QueryCursor track(QueryCursor cursor) {
          return cursor;
        }

        @Override
        public void failed(RuntimeException failure) {}
      };
    }

    @Override
    public void rejected(
        QueryContext context, String sql, GatewayException failure, List<String> deniedReferences, Stage stage) {}

    @Override
    public void metadataRefused(QueryContext context, String call, GatewayException failure) {}
  };
}
