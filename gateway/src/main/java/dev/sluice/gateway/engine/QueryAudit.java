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
  /** Where a request was refused before anything ran. */
  enum Stage {
    /** Parsing, validation, policies (denied or unknown tables and columns), strict pushdown. */
    PLANNING,
    /** Concurrency limits (bulkheads) refused the query. */
    ADMISSION,
    /** The execution request itself was invalid, such as a wrong number of parameters. */
    EXECUTION
  }

  /**
   * Records that {@code plan} is about to run as {@code queryId}, and returns once that record is
   * durable.
   *
   * @throws GatewayException with {@code AUDIT_UNAVAILABLE} when it cannot be recorded: the query
   *     must then not run
   */
  AuditedQuery started(QueryContext context, QueryPlan plan, String queryId);

  /**
   * Records a request refused before it ran; {@code deniedReferences} are the names in {@code sql}
   * that exist but are hidden from the principal.
   */
  void rejected(
      QueryContext context, String sql, GatewayException failure, List<String> deniedReferences, Stage stage);

  /** One execution being audited, from its started record to its finished one. */
  interface AuditedQuery {
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
  };
}
