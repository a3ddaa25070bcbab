package dev.sluice.gateway.engine;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

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

  /** The result's columns. */
  List<ResultColumn> columns();

  /** The next rows, at most {@code maxRows}; an empty list once {@link #done()}. */
  List<Object[]> fetch(int maxRows);

  /**
   * Switches the cursor to Arrow: the remaining rows as record batches of at most
   * {@code batchRows} rows in the {@link dev.sluice.gateway.arrow.ArrowTypeMapping}, allocated from
   * {@code allocator} (which must outlive the cursor). Call at most once, before any fetch; the
   * batches are freed when the cursor is closed. Whole pushdowns to DuckDB take the batches from
   * DuckDB's native Arrow export; other results are converted from their JDBC rows.
   */
  ArrowBatches arrow(BufferAllocator allocator, int batchRows);

  /**
   * For an aggregation-only caller, how many result groups of fewer customers than the minimum
   * group size were folded into the remainder group, as far as the rows read so far tell (every row
   * carries the count; an empty result none). Empty when the plan does not report it.
   */
  default java.util.OptionalLong foldedGroups() {
    return java.util.OptionalLong.empty();
  }

  /** Whether every row has been returned. */
  boolean done();

  /** Stops the query: cancels the warehouse statement; later fetches fail with QUERY_CANCELED. */
  void cancel();

  /** Releases the warehouse statement and connection; idempotent. */
  @Override
  void close();
}
