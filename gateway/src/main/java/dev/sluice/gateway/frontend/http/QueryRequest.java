package dev.sluice.gateway.frontend.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /v1/query}: {@code {"sql": "...", "parameters": [...], "timeout_ms": n,
 * "purpose": "..."}}.
 *
 * @param parameters JSON scalars as Java values (String, Long, BigInteger, BigDecimal, Boolean, or
 *     null); the engine converts them to the types the query's {@code ?}s have
 * @param timeout the client's timeout, which can only shorten the configured one
 * @param purpose the purpose the caller declares for this query
 */
record QueryRequest(String sql, List<Object> parameters, Optional<Duration> timeout, Optional<String> purpose) {
  private static final Set<String> KEYS = Set.of("sql", "parameters", "timeout_ms", "purpose");
  private static final long MAX_TIMEOUT_MS = Duration.ofDays(1).toMillis();
  private static final ObjectMapper JSON =
      new ObjectMapper()
          // Decimal parameters must reach the warehouse exactly as written, not as the nearest double.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  QueryRequest {
    requireNonNull(sql, "sql is null");
    // Not List.copyOf: parameters may be SQL NULL.
    parameters = Collections.unmodifiableList(new ArrayList<>(requireNonNull(parameters, "parameters is null")));
    requireNonNull(timeout, "timeout is null");
    requireNonNull(purpose, "purpose is null");
  }

  /**
   * Parses a request body.
   *
   * @throws GatewayException with {@link ErrorCode#INVALID_PARAMETER} saying what is wrong
   */
  static QueryRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw invalid("The request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("The request body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("The request body must be a JSON object such as {\"sql\": \"SELECT 1\"}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw invalid("Unknown field \"" + name + "\" in the request (expected sql, parameters, timeout_ms, purpose)");
      }
    }
    JsonNode sql = root.get("sql");
    if (sql == null || !sql.isTextual() || sql.textValue().isBlank()) {
      throw invalid("The request needs \"sql\": the query as a non-empty string");
    }
    return new QueryRequest(
        sql.textValue(), parameters(root.get("parameters")), timeout(root.get("timeout_ms")), purpose(root.get("purpose")));
  }

  private static Optional<String> purpose(JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid("\"purpose\" must be a string naming the purpose of the query, such as \"email_marketing\"");
    }
    return Optional.of(node.textValue());
  }

  private static List<Object> parameters(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid("\"parameters\" must be a list of values, one per ? in the query");
    }
    List<Object> values = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      values.add(scalar(node.get(i), i));
    }
    return values;
  }

  private static Object scalar(JsonNode value, int index) {
    if (value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
    }
    if (value.isNumber()) {
      return value.decimalValue();
    }
    throw invalid("Parameter " + (index + 1) + " must be a string, number, boolean or null, not "
        + (value.isArray() ? "a list" : "an object"));
  }

  private static Optional<Duration> timeout(JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()
        || node.longValue() < 1 || node.longValue() > MAX_TIMEOUT_MS) {
      throw invalid("\"timeout_ms\" must be a whole number of milliseconds between 1 and " + MAX_TIMEOUT_MS);
    }
    return Optional.of(Duration.ofMillis(node.longValue()));
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(ErrorCode.INVALID_PARAMETER, message);
  }
}
