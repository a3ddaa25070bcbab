package dev.sluice.gateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Binds {@code engine}: the query engine's limits and cache sizes. */
final class EngineBinder {
  private static final String PATH = "engine";
  private static final List<String> KEYS =
      List.of(
          "query_timeout", "default_frame_rows", "max_frame_rows", "plan_cache_size", "arrow_batch_rows");
  private static final int MAX_ROWS = 10_000_000;

  private EngineBinder() {}

  static EngineConfig bind(ObjectNode root, ConfigReader reader) {
    Optional<ObjectNode> engine =
        ConfigReader.field(root, PATH).flatMap(node -> reader.mapping(node, PATH, KEYS));
    if (engine.isEmpty()) {
      return EngineConfig.defaults();
    }
    ObjectNode node = engine.get();
    Duration queryTimeout = ConfigReader.field(node, "query_timeout")
        .flatMap(value -> reader.duration(value, ConfigReader.path(PATH, "query_timeout")))
        .orElse(EngineConfig.DEFAULT_QUERY_TIMEOUT);
    int defaultFrameRows =
        reader.integer(node, PATH, "default_frame_rows", EngineConfig.DEFAULT_FRAME_ROWS, 1, MAX_ROWS);
    int maxFrameRows =
        reader.integer(node, PATH, "max_frame_rows", EngineConfig.DEFAULT_MAX_FRAME_ROWS, 1, MAX_ROWS);
    if (maxFrameRows < defaultFrameRows) {
      reader.problem(ConfigReader.path(PATH, "max_frame_rows"),
          "must be at least default_frame_rows (" + defaultFrameRows + "), got " + maxFrameRows);
    }
    // 0 turns the plan cache off, which helps when measuring planning cost.
    int planCacheSize =
        reader.integer(node, PATH, "plan_cache_size", EngineConfig.DEFAULT_PLAN_CACHE_SIZE, 0, 1_000_000);
    int arrowBatchRows =
        reader.integer(node, PATH, "arrow_batch_rows", EngineConfig.DEFAULT_ARROW_BATCH_ROWS, 1, 1_000_000);
    return new EngineConfig(queryTimeout, defaultFrameRows, maxFrameRows, planCacheSize, arrowBatchRows);
  }
}
