package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.audit.QueryLogTable;
import dev.sluice.gateway.auth.RequestAuthenticator;
import dev.sluice.gateway.engine.Protocol;
import dev.sluice.gateway.engine.QueryAudit;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.engine.ResultColumn;
import dev.sluice.policies.Principal;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit page's data: {@code GET /audit/api/queries} lists queries from {@code audit.query_log}
 * by filters, {@code GET /audit/api/queries/{query_id}} shows one. Each answer is a governed query
 * on that table run as the caller, so only principals the policies grant it may use them (403 for
 * others, and the refusal is audited), and every read is itself in the audit log.
 */
public final class AuditPageApi {
  public static final String QUERIES_PATH = "/audit/api/queries";

  private static final Logger log = LoggerFactory.getLogger(AuditPageApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final Pattern QUERY_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** Columns holding JSON text, answered as JSON rather than as strings. */
  private static final Set<String> JSON_COLUMNS =
      Set.of("tables_read", "columns_read", "masks", "row_filters", "denied", "pushdowns");
  private static final int FETCH_ROWS = 256;

  private final QueryEngine engine;
  private final RequestAuthenticator authenticator;
  private final QueryAudit audit;
  private final Clock clock;

  public AuditPageApi(QueryEngine engine, RequestAuthenticator authenticator, QueryAudit audit, Clock clock) {
    this.engine = requireNonNull(engine, "engine is null");
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  public List<HttpEndpoint> endpoints() {
    return List.of(
        new HttpEndpoint(HttpMethod.GET, QUERIES_PATH, this::list),
        new HttpEndpoint(HttpMethod.GET, QUERIES_PATH + "/*", this::detail));
  }

  void list(HttpExchange exchange) {
    answer(exchange, caller -> {
      AuditPageSql sql = AuditPageSql.list(AuditPageFilters.parse(exchange.queryParameters(), clock));
      ObjectNode body = JSON.createObjectNode();
      body.set("queries", run(caller, sql));
      return Optional.of(body);
    });
  }

  void detail(HttpExchange exchange) {
    answer(exchange, caller -> {
      String queryId = exchange.path().substring(QUERIES_PATH.length() + 1);
      if (!QUERY_ID.matcher(queryId).matches()) {
        throw new GatewayException(ErrorCode.INVALID_PARAMETER, "Not a query id: '" + queryId + "'");
      }
      ArrayNode rows = run(caller, AuditPageSql.detail(queryId));
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    });
  }

  /** What one endpoint answers for an authenticated caller; empty for 404. */
  private interface Answer {
    Optional<JsonNode> body(QueryContext caller);
  }

  /** Authenticates the caller, runs {@code answer} and answers with its JSON or the error. */
  private void answer(HttpExchange exchange, Answer answer) {
    try {
      Optional<JsonNode> body = answer.body(context(exchange, authenticate(exchange)));
      if (body.isPresent()) {
        exchange.respond(HttpResponseStatus.OK, JSON_TYPE, JSON.writeValueAsBytes(body.get()), noStore());
      } else {
        respondError(exchange, HttpResponseStatus.NOT_FOUND,
            new GatewayException(ErrorCode.UNKNOWN_OBJECT, "No such query in the audit log: " + exchange.path()));
      }
    } catch (GatewayException e) {
      if (e.code().category() == ErrorCode.Category.INTERNAL) {
        log.error("Audit page request failed: {}", e.getMessage(), e);
      }
      respondError(exchange, HttpErrors.status(e.code()), e);
    } catch (JsonProcessingException | RuntimeException e) {
      log.error("Audit page request failed outside the gateway's error model", e);
      if (!exchange.responded()) {
        respondError(exchange, HttpResponseStatus.INTERNAL_SERVER_ERROR,
            new GatewayException(ErrorCode.INTERNAL_ERROR, "Internal error"));
      }
    }
  }

  private static QueryContext context(HttpExchange exchange, Principal principal) {
    return new QueryContext(
        principal,
        Protocol.HTTP,
        Optional.of(exchange.remoteAddress().getAddress().getHostAddress()),
        Optional.ofNullable(exchange.headers().get(HttpHeaderNames.USER_AGENT)));
  }

  /** The rows of {@code sql} run as the caller, as JSON objects keyed by column name. */
  private ArrayNode run(QueryContext context, AuditPageSql sql) {
    if (!mayReadAuditLog(context.principal())) {
      // Checked here rather than left to planning, which would say "not found": the page must
      // tell an auditor's colleague they lack the grant. The attempt is recorded like any refusal.
      GatewayException denied = new GatewayException(
          ErrorCode.ACCESS_DENIED, "Access denied: the audit page needs a role granted audit.query_log");
      audit.rejected(context, sql.sql(), denied, List.of(qualifiedAuditTable()), QueryAudit.Stage.PLANNING);
      throw denied;
    }
    QueryPlan plan = engine.prepare(context, sql.sql());
    ArrayNode rows = JSON.createArrayNode();
    try (QueryCursor cursor = engine.execute(context, plan, sql.parameters(), Optional.empty())) {
      List<ResultColumn> columns = cursor.columns();
      while (!cursor.done()) {
        for (Object[] row : cursor.fetch(FETCH_ROWS)) {
          rows.add(json(columns, row));
        }
      }
    }
    return rows;
  }

  private Principal authenticate(HttpExchange exchange) {
    Optional<String> authorization = Optional.ofNullable(exchange.headers().get(HttpHeaderNames.AUTHORIZATION));
    return authenticator.authenticate(authorization, exchange.remoteAddress().getAddress());
  }

  /** The same rule as for SQL: the principal's governed view holds the audit table. */
  private boolean mayReadAuditLog(Principal principal) {
    return engine.governance().viewOf(principal).tables().stream()
        .anyMatch(table -> table.schema().equalsIgnoreCase(QueryLogTable.SCHEMA)
            && table.name().equalsIgnoreCase(QueryLogTable.NAME));
  }

  private static String qualifiedAuditTable() {
    return QueryLogTable.SCHEMA + "." + QueryLogTable.NAME;
  }

  private static ObjectNode json(List<ResultColumn> columns, Object[] row) {
    ObjectNode node = JSON.createObjectNode();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i).name().toLowerCase(Locale.ROOT);
      Object value = row[i];
      if (value == null) {
        node.putNull(name);
      } else if (JSON_COLUMNS.contains(name)) {
        node.set(name, parse(value.toString()));
      } else if (columns.get(i).type().getSqlTypeName() == SqlTypeName.TIMESTAMP) {
        node.put(name, Instant.ofEpochMilli(((Number) value).longValue()).toString());
      } else {
        node.putPOJO(name, value);
      }
    }
    return node;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "audit.query_log holds a list that is not JSON", e);
    }
  }

  // A 401 here challenges only Bearer: a Basic challenge would make browsers pop up their own
  // login dialog over the page whenever a token expires.
  private static void respondError(HttpExchange exchange, HttpResponseStatus status, GatewayException failure) {
    HttpHeaders headers = noStore();
    if (failure.retryAfter().isPresent()) {
      status = HttpResponseStatus.TOO_MANY_REQUESTS;
      headers.set(HttpHeaderNames.RETRY_AFTER, Math.max(1, failure.retryAfter().get().toSeconds()));
    } else if (failure.code() == ErrorCode.AUTHENTICATION_FAILED) {
      headers.set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");
    }
    exchange.respond(status, JSON_TYPE, HttpErrors.body(failure), headers);
  }

  static HttpHeaders noStore() {
    return AuditPageAssets.securityHeaders().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
  }
}
