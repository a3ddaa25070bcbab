package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import dev.sluice.policies.PolicySet.Allow;
import dev.sluice.policies.PolicySet.ColumnRule;
import dev.sluice.policies.PolicySet.Deny;
import dev.sluice.policies.PolicySet.Masked;
import dev.sluice.policies.PolicySet.Role;
import dev.sluice.policies.PolicySet.RowFilter;
import dev.sluice.policies.PolicySet.TableGrant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what a principal sees of each virtual table under a {@link PolicySet}.
 *
 * <p>The rule for several roles: a table is visible if any role grants it; a row is visible if any
 * granting role's filters let it through; in a visible row, a column shows the least-masked value
 * that a role letting that row through allows (clear before partial/year/round/bucket, before
 * expression masks, before hash, before redact, before null), and is absent only if every
 * granting role denies it. Row filters on the customer base follow the customer key into every
 * table that has one.
 *
 * <p>A principal declaring a purpose sees, through each of its roles that may declare it, the
 * role's grants with the purpose's overlay: the overlay's column rules replace the role's for
 * those columns (they may widen it) and its row filters are ANDed to the role's. Its other roles
 * are unaffected. Whether the principal may query with the purpose it declared (or without one) is
 * {@link #purposeRefusal}'s answer, which callers ask first.
 */
public final class PolicyResolver {
  /** The identity function dialects render as its operand and the gateway cannot evaluate. */
  static final String MASKED = "SLUICE_MASKED";

  private static final Pattern ATTRIBUTE = Pattern.compile("\\$\\{user\\.([A-Za-z_][A-Za-z0-9_]*)}");

  private final PolicySet policies;

  public PolicyResolver(PolicySet policies) {
    this.policies = requireNonNull(policies, "policies is null");
  }

  public PolicySet policies() {
    return policies;
  }

  /** The principal's view of every table it may read, in the order of {@code tables}. */
  public Map<String, TableView> resolve(Principal principal, List<TableShape> tables) {
    requireNonNull(principal, "principal is null");
    Map<String, TableView> views = new LinkedHashMap<>();
    Optional<TableShape> base = tables.stream().filter(TableShape::customerBase).findFirst();
    Optional<String> customerFilter =
        base.flatMap(b -> grants(principal, b).rowFilter())
            .map(filter -> "IN (SELECT " + quote(base.get().customerKey().orElseThrow()) + " FROM "
                + quote(base.get().name()) + " WHERE " + filter + ")");
    for (TableShape table : tables) {
      Grants grants = grants(principal, table);
      if (grants.roles.isEmpty()) {
        continue;
      }
      Optional<String> inherited =
          table.customerBase() || table.customerKey().isEmpty()
              ? Optional.empty()
              : customerFilter.map(in -> quote(table.customerKey().get()) + " " + in);
      views.put(table.name(), view(principal, table, grants, inherited));
    }
    return views;
  }

  /**
   * The minimum number of distinct customers each result group must aggregate for {@code
   * principal}, or empty when no floor applies. Like masks, the least restrictive role wins: the
   * floor applies only if every role of the principal that grants a table of {@code tables} has
   * one, and then it is the smallest of theirs.
   */
  public OptionalInt minGroupSize(Principal principal, List<TableShape> tables) {
    requireNonNull(principal, "principal is null");
    OptionalInt floor = OptionalInt.empty();
    for (String roleName : principal.roles()) {
      Optional<Role> role = policies.role(roleName);
      if (role.isEmpty() || tables.stream().noneMatch(table -> grantFor(role.get(), table.name()).isPresent())) {
        continue;
      }
      if (role.get().minGroupSize().isEmpty()) {
        return OptionalInt.empty();
      }
      int k = role.get().minGroupSize().getAsInt();
      floor = OptionalInt.of(floor.isEmpty() ? k : Math.min(floor.getAsInt(), k));
    }
    return floor;
  }

  /**
   * Why {@code principal} may not query as it stands, or empty if it may: it declared a purpose
   * none of its roles may declare (an unknown one included), or it declared none while one of its
   * roles requires one. The message names the purposes it may declare.
   */
  public Optional<String> purposeRefusal(Principal principal) {
    requireNonNull(principal, "principal is null");
    List<String> allowed = allowedPurposes(principal);
    if (principal.purpose().isPresent()) {
      String declared = principal.purpose().get();
      if (allowed.stream().anyMatch(declared::equalsIgnoreCase)) {
        return Optional.empty();
      }
      return Optional.of("Purpose '" + declared + "' is not allowed for user " + principal.user()
          + (allowed.isEmpty()
              ? ": none of your roles may declare a purpose"
              : "; allowed purposes: " + String.join(", ", allowed)));
    }
    boolean required = principal.roles().stream()
        .flatMap(role -> policies.role(role).stream())
        .anyMatch(Role::requiresPurpose);
    if (required) {
      return Optional.of("User " + principal.user() + " must declare a purpose (allowed: "
          + String.join(", ", allowed) + ")");
    }
    return Optional.empty();
  }

  /** The purposes some role of {@code principal} may declare, sorted by name. */
  public List<String> allowedPurposes(Principal principal) {
    requireNonNull(principal, "principal is null");
    return policies.purposes().values().stream()
        .filter(purpose -> principal.roles().stream().anyMatch(purpose::allows))
        .map(PolicySet.Purpose::name)
        .sorted()
        .toList();
  }

  /** The grants of the principal's roles on one table, with each role's filter resolved for the principal. */
  private Grants grants(Principal principal, TableShape table) {
    List<RoleGrant> roles = new ArrayList<>();
    Optional<PolicySet.Purpose> purpose = principal.purpose().flatMap(policies::purpose);
    for (String roleName : principal.roles().stream().sorted().toList()) {
      Optional<TableGrant> granted = policies.role(roleName).flatMap(role -> grantFor(role, table.name()));
      if (granted.isEmpty()) {
        continue;
      }
      Optional<TableGrant> grant = purpose.filter(p -> p.allows(roleName))
          .flatMap(p -> overlayFor(p, table.name()))
          .map(overlay -> overlay.applyTo(granted.get()))
          .or(() -> granted);
      Optional<Optional<String>> filter = filter(principal, grant.get());
      // A filter the principal lacks an attribute for cannot be evaluated: that role grants nothing.
      filter.ifPresent(f -> roles.add(new RoleGrant(roleName, grant.get(), f)));
    }
    return new Grants(roles);
  }

  private static Optional<TableGrant> grantFor(Role role, String table) {
    return forTable(role.tables(), table);
  }

  private static Optional<PolicySet.TableOverlay> overlayFor(PolicySet.Purpose purpose, String table) {
    return forTable(purpose.tables(), table);
  }

  /** What {@code byTable} holds for {@code table}, named {@code table} or {@code cdp.table}. */
  private static <T> Optional<T> forTable(Map<String, T> byTable, String table) {
    return byTable.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(table) || e.getKey().equalsIgnoreCase("cdp." + table))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The AND of a grant's filters for this principal; empty inside if unfiltered, empty outside if unusable. */
  private static Optional<Optional<String>> filter(Principal principal, TableGrant grant) {
    List<String> conditions = new ArrayList<>();
    for (RowFilter filter : grant.rowFilters()) {
      if (filter.ifAttribute().isPresent() && principal.attribute(filter.ifAttribute().get()).isEmpty()) {
        continue;
      }
      Optional<String> sql = substitute(filter.sql(), principal);
      if (sql.isEmpty()) {
        return Optional.empty();
      }
      conditions.add("(" + sql.get() + ")");
    }
    return Optional.of(conditions.isEmpty() ? Optional.empty() : Optional.of(String.join(" AND ", conditions)));
  }

  private TableView view(
      Principal principal, TableShape table, Grants grants, Optional<String> inherited) {
    List<TableView.ColumnView> columns = new ArrayList<>();
    for (String column : table.columns()) {
      column(principal, column, grants).ifPresent(columns::add);
    }
    List<String> applied = new ArrayList<>();
    Optional<String> own = grants.rowFilter();
    own.ifPresent(applied::add);
    inherited.ifPresent(applied::add);
    Optional<String> filter =
        own.isPresent() && inherited.isPresent()
            ? Optional.of("(" + own.get() + ") AND (" + inherited.get() + ")")
            : own.or(() -> inherited);
    return new TableView(table.name(), columns, filter, applied);
  }

  private static Optional<TableView.ColumnView> column(Principal principal, String column, Grants grants) {
    List<Candidate> candidates = new ArrayList<>();
    for (RoleGrant role : grants.roles) {
      ColumnRule rule = role.grant.rule(column);
      if (rule instanceof Deny) {
        candidates.add(new Candidate(role, Optional.empty(), Integer.MAX_VALUE, null));
      } else if (rule instanceof Allow) {
        candidates.add(new Candidate(role, Optional.of(quote(column)), 0, null));
      } else if (rule instanceof Masked masked) {
        // The barrier makes the mask computable only by the warehouse (see MaskFunctions.MASKED).
        Optional<String> sql =
            substitute(MASKED + "(" + masked.mask().apply(quote(column)) + ")", principal);
        candidates.add(new Candidate(role, sql, sql.isPresent() ? masked.mask().rank() : Integer.MAX_VALUE, masked.mask()));
      }
    }
    if (candidates.stream().allMatch(c -> c.sql.isEmpty())) {
      return Optional.empty();
    }
    candidates.sort(Comparator.comparingInt(Candidate::rank));
    Candidate best = candidates.get(0);
    boolean bestSeesAllRows = best.role.filter.isEmpty();
    if (bestSeesAllRows || candidates.size() == 1) {
      return Optional.of(new TableView.ColumnView(column, best.sql.orElseThrow(), maskName(best)));
    }
    // Roles see different rows: each row gets the least-masked value among the roles that see it.
    StringBuilder sql = new StringBuilder("CASE");
    for (Candidate candidate : candidates) {
      String value = candidate.sql.orElse("NULL");
      String condition = candidate.role.filter.orElse("TRUE");
      sql.append(" WHEN ").append(condition).append(" THEN ").append(value);
      if (candidate.role.filter.isEmpty()) {
        break;
      }
    }
    sql.append(" END");
    String masks = candidates.stream().map(c -> c.mask == null ? "clear" : c.mask.toString()).distinct()
        .reduce((a, b) -> a + "|" + b).orElse("clear");
    return Optional.of(new TableView.ColumnView(column, sql.toString(), Optional.of("per-role: " + masks)));
  }

  private static Optional<String> maskName(Candidate candidate) {
    return candidate.mask == null ? Optional.empty() : Optional.of(candidate.mask.toString());
  }

  /** Replaces {@code ${user.X}} by the attribute as a literal and CURRENT_USER by the user name; empty if an attribute is missing. */
  static Optional<String> substitute(String sql, Principal principal) {
    Matcher matcher = ATTRIBUTE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      Optional<String> value = principal.attribute(matcher.group(1));
      if (value.isEmpty()) {
        return Optional.empty();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(Mask.literal(value.get())));
    }
    matcher.appendTail(out);
    return Optional.of(replaceCurrentUser(out.toString(), Mask.literal(principal.user())));
  }

  /** Replaces the word CURRENT_USER outside literals, quoted identifiers and comments. */
  static String replaceCurrentUser(String sql, String literal) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = i + 1;
        while (end < sql.length()) {
          if (sql.charAt(end) == c) {
            if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
              end += 2;
              continue;
            }
            break;
          }
          end++;
        }
        end = Math.min(end + 1, sql.length());
        out.append(sql, i, end);
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        String word = sql.substring(i, end);
        out.append(word.toUpperCase(Locale.ROOT).equals("CURRENT_USER") ? literal : word);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private record RoleGrant(String role, TableGrant grant, Optional<String> filter) {}

  private record Candidate(RoleGrant role, Optional<String> sql, int rank, Mask mask) {}

  private record Grants(List<RoleGrant> roles) {
    /** OR of the roles' filters; empty when some role sees every row. */
    Optional<String> rowFilter() {
      if (roles.isEmpty() || roles.stream().anyMatch(r -> r.filter.isEmpty())) {
        return Optional.empty();
      }
      return Optional.of(String.join(" OR ", roles.stream().map(r -> "(" + r.filter.orElseThrow() + ")").toList()));
    }
  }
}
