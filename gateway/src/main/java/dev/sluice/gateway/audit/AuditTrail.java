package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.auth.LoginAudit;
import dev.sluice.gateway.engine.AccessSummary;
import dev.sluice.gateway.engine.QueryAudit;
import dev.sluice.gateway.engine.QueryContext;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Mask;
import dev.sluice.policies.PolicySet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the engine and the authenticator report into audit records: a durable started record
 * before a query runs (refusing the query when that fails), its finished record when its cursor
 * is closed, and a rejected record for every refusal. It keeps secrets out of what it records:
 * hash salts from the policies are blanked out of generated SQL, and with {@code
 * redact_literals} the literals of every SQL text are replaced by {@code ?}.
 */
public final class AuditTrail implements QueryAudit, LoginAudit {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  static final String SECRET = "***";
  /** What stands in a refused metadata call's {@code sql} field, before the call's name. */
  public static final String METADATA_CALL_PREFIX = "metadata: ";

  private final AuditLog log;
  private final boolean redactLiterals;
  private final Supplier<PolicySet> policies;
  private volatile Salts salts;
  private final Cache<String, Optional<String>> redacted =
      CacheBuilder.newBuilder().maximumSize(10_000).build();

  /** {@code policies} gives the current policies, whose hash salts never appear in a record. */
  public AuditTrail(AuditLog log, boolean redactLiterals, Supplier<PolicySet> policies) {
    this.log = requireNonNull(log, "log is null");
    this.redactLiterals = redactLiterals;
    this.policies = requireNonNull(policies, "policies is null");
  }

  public AuditLog log() {
    return log;
  }

  @Override
  public AuditedQuery started(QueryContext context, QueryPlan plan, String queryId) {
    requireNonNull(context, "context is null");
    requireNonNull(plan, "plan is null");
    requireNonNull(queryId, "queryId is null");
    Set<String> salts = salts();
    List<QueryStarted.PushdownSql> pushdowns = new ArrayList<>();
    // EXPLAIN shows the pushdown SQL but sends none: the record lists only what warehouses receive.
    if (!(plan.execution() instanceof QueryPlan.Explain)) {
      for (QueryPlan.Pushdown pushdown : plan.pushdowns()) {
        pushdowns.add(new QueryStarted.PushdownSql(pushdown.warehouse(), sqlText(pushdown.sql(), salts)));
      }
    }
    QueryStarted record = new QueryStarted(
        queryId,
        Caller.of(context),
        sqlText(plan.sql(), Set.of()),
        redactLiterals,
        ChainHash.sha256Hex(plan.sql()),
        withoutSecrets(plan.access(), salts),
        pushdowns,
        plan.floor().map(floor -> java.util.OptionalInt.of(floor.minGroupSize())).orElse(java.util.OptionalInt.empty()));
    long startedNanos = System.nanoTime();
    CompletableFuture<Long> durable = log.appendWriteAhead(record);
    if (durable.isCompletedExceptionally()) {
      // The log is known to be down: refuse before the query takes any admission slot.
      log.awaitDurable(durable);
    }
    return new AuditedExecution(
        queryId, plan.planningTime(), startedNanos, redactLiterals, () -> log.awaitDurable(durable), this::write);
  }

  @Override
  public void rejected(
      QueryContext context, String sql, GatewayException failure, List<String> deniedReferences, Stage stage) {
    try {
      AuditError error = AuditError.of(failure);
      boolean quotesClientText = failure.code() == ErrorCode.SYNTAX_ERROR
          || failure.code().category() == ErrorCode.Category.WAREHOUSE;
      write(new QueryRejected(
          UUID.randomUUID().toString(),
          stage.name().toLowerCase(Locale.ROOT),
          Caller.of(context),
          Optional.empty(),
          sqlText(sql, Set.of()),
          redactLiterals,
          Optional.of(ChainHash.sha256Hex(sql)),
          deniedReferences,
          redactLiterals && quotesClientText ? error.withoutMessage() : error));
    } catch (RuntimeException e) {
      LOG.warn("Could not audit a refused query: {}", e.toString());
    }
  }

  @Override
  public void metadataRefused(QueryContext context, String call, GatewayException failure) {
    try {
      // No SQL: the call's name stands in its place, never redacted (it holds no client values).
      write(new QueryRejected(
          UUID.randomUUID().toString(),
          QueryAudit.Stage.METADATA.name().toLowerCase(Locale.ROOT),
          Caller.of(context),
          Optional.empty(),
          Optional.of(METADATA_CALL_PREFIX + call),
          false,
          Optional.empty(),
          List.of(),
          AuditError.of(failure)));
    } catch (RuntimeException e) {
      LOG.warn("Could not audit a refused metadata call: {}", e.toString());
    }
  }

  @Override
  public void refused(Optional<String> user, boolean knownUser, InetAddress client, GatewayException failure) {
    try {
      Caller caller = new Caller(
          user.filter(name -> knownUser),
          List.of(),
          Optional.empty(),
          Optional.of(client.getHostAddress()),
          Optional.empty(),
          Optional.empty());
      write(new QueryRejected(
          UUID.randomUUID().toString(),
          QueryRejected.AUTHENTICATION,
          caller,
          user.filter(name -> !knownUser).map(ChainHash::sha256Hex),
          Optional.empty(),
          false,
          Optional.empty(),
          List.of(),
          AuditError.of(failure)));
    } catch (RuntimeException e) {
      LOG.warn("Could not audit a refused login: {}", e.toString());
    }
  }

  /** Records that are not write-ahead are written asynchronously; a failure is logged, not thrown. */
  private void write(AuditEvent event) {
    log.append(event).whenComplete((seq, failure) -> {
      if (failure != null) {
        LOG.warn("Could not write the {} audit record: {}", event.type(), failure.toString());
      }
    });
  }

  private Optional<String> sqlText(String sql, Set<String> salts) {
    String text = sql;
    if (redactLiterals) {
      try {
        Optional<String> result = redacted.get(sql, () -> SqlRedaction.redact(sql));
        if (result.isEmpty()) {
          return Optional.empty();
        }
        text = result.get();
      } catch (ExecutionException e) {
        return Optional.empty();
      }
    }
    return Optional.of(blank(text, salts));
  }

  private static AccessSummary withoutSecrets(AccessSummary access, Set<String> salts) {
    if (salts.isEmpty()) {
      return access;
    }
    List<AccessSummary.AppliedFilter> filters = access.rowFilters().stream()
        .map(filter -> new AccessSummary.AppliedFilter(filter.table(), blank(filter.sql(), salts)))
        .toList();
    return new AccessSummary(access.tables(), access.columns(), access.masks(), filters);
  }

  /**
   * The hash salts of the current policies: they are in generated SQL, and they are secrets.
   * Worked out again only when the policies change (every query asks).
   */
  private Set<String> salts() {
    PolicySet current = policies.get();
    Salts known = salts;
    if (known == null || known.policies() != current) {
      known = new Salts(current, saltsOf(current));
      salts = known;
    }
    return known.salts();
  }

  private record Salts(PolicySet policies, Set<String> salts) {}

  private static Set<String> saltsOf(PolicySet policySet) {
    Set<String> salts = new TreeSet<>((a, b) -> b.length() != a.length() ? b.length() - a.length() : a.compareTo(b));
    for (PolicySet.Role role : policySet.roles().values()) {
      for (PolicySet.TableGrant grant : role.tables().values()) {
        for (PolicySet.ColumnRule rule : grant.columns().values()) {
          if (rule instanceof PolicySet.Masked masked
              && masked.mask() instanceof Mask.Hash hash
              && hash.salt().isPresent()
              && !hash.salt().get().isEmpty()) {
            salts.add(hash.salt().get());
          }
        }
      }
    }
    return salts;
  }

  /** {@code text} with every salt, as written and as a SQL literal writes it, replaced by ***. */
  static String blank(String text, Set<String> salts) {
    String result = text;
    for (String salt : salts) {
      result = result.replace(salt.replace("'", "''"), SECRET).replace(salt, SECRET);
    }
    return result;
  }
}
