package dev.sluice.gateway.engine;

import java.util.List;

/**
 * The rows of one running query, pulled in batches so that memory stays bounded by the batch size.
 * Values use the JDBC-neutral representation Avatica and Calcite share: {@code TIMESTAMP} as epoch
 * milliseconds ({@code long}), {@code DATE} as epoch days ({@code int}), {@code TIME} as
 * milliseconds of the day, {@code DECIMAL} as {@link java.math.BigDecimal}.
 */
public interface QueryCursor extends AutoCloseable {
  /**
   * The gateway's id of this execution, also written in the comment that starts every statement
   * it sends to a warehouse, so warehouse query history can be matched to the audit log.
   */
  String queryId();

  /** The next rows, at most {@code maxRows}; an empty list once {@link #done()}. */
  List<Object[]> fetch(int maxRows);

  /** Whether every row has been returned. */
  boolean done();

  /** Stops the query: cancels the warehouse statement; later fetches fail with QUERY_CANCELED. */
  void cancel();

  /** Releases the warehouse statement and connection; idempotent. */
  @Override
  void close();
}
