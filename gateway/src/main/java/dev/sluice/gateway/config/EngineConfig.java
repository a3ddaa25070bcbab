package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Limits and cache sizes of the query engine. */
public record EngineConfig(
    Duration queryTimeout,
    int defaultFrameRows,
    int maxFrameRows,
    int planCacheSize,
    int arrowBatchRows) {
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(300);
  public static final int DEFAULT_FRAME_ROWS = 10_000;
  public static final int DEFAULT_MAX_FRAME_ROWS = 100_000;
  public static final int DEFAULT_PLAN_CACHE_SIZE = 1_000;
  /** Rows per Arrow record batch (Flight SQL, Arrow over HTTP); memory per query is a few batches. */
  public static final int DEFAULT_ARROW_BATCH_ROWS = 65_536;

  public EngineConfig {
    requireNonNull(queryTimeout, "queryTimeout is null");
  }

  public static EngineConfig defaults() {
    return new EngineConfig(
        DEFAULT_QUERY_TIMEOUT,
        DEFAULT_FRAME_ROWS,
        DEFAULT_MAX_FRAME_ROWS,
        DEFAULT_PLAN_CACHE_SIZE,
        DEFAULT_ARROW_BATCH_ROWS);
  }
}
