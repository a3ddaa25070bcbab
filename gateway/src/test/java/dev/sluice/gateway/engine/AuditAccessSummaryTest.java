package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import dev.sluice.policies.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the audit log records a query reads, computed at planning: the governed tables and columns
 * any part of the query uses (not only the result's), the masks on those columns, and the row
 * filters of those tables; and, for a refused query, the hidden names it referenced.
 */
class AuditAccessSummaryTest {
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());
  private static final Principal MAX = new Principal("max", Set.of("marketer"), Map.of());
  private static final Principal MIA = new Principal("mia", Set.of("marketer"), Map.of("region", "EU"));
  private static final Principal ANA = new Principal("ana", Set.of("analyst"), Map.of());
  private static final Principal SAM = new Principal("sam", Set.of("auditor"), Map.of());

  private final GatewayServer server = TestingGateway.shared();

  private AccessSummary access(Principal principal, String sql) {
    return server.engine().prepare(principal, sql).access();
  }

  @Test
  void starReadsEveryColumnAndCountStarNone() {
    assertThat(access(ADMIN, "SELECT * FROM cdp.products").columns()).containsExactly(
        "cdp.products.product_id", "cdp.products.name", "cdp.products.category", "cdp.products.brand",
        "cdp.products.price");
    AccessSummary count = access(ADMIN, "SELECT COUNT(*) FROM cdp.customers");
    assertThat(count.tables()).containsExactly("cdp.customers");
    assertThat(count.columns()).isEmpty();
  }

  @Test
  void columnsUsedOnlyInConditionsGroupingAndOrderingAreRead() {
    assertThat(access(MAX, "SELECT customer_id FROM cdp.customers WHERE email LIKE '%x'").columns())
        .containsExactly("cdp.customers.customer_id", "cdp.customers.email");
    assertThat(access(ADMIN, "SELECT COUNT(*) FROM cdp.customers GROUP BY region").columns())
        .containsExactly("cdp.customers.region");
    assertThat(access(ADMIN,
        "SELECT c.customer_id FROM cdp.customers c JOIN cdp.purchases p ON c.customer_id = p.customer_id"
            + " WHERE p.amount > 10 ORDER BY p.purchased_at").columns())
        .containsExactlyInAnyOrder("cdp.customers.customer_id", "cdp.purchases.customer_id",
            "cdp.purchases.purchased_at", "cdp.purchases.amount");
    assertThat(access(ADMIN,
        "SELECT customer_id, ROW_NUMBER() OVER (PARTITION BY region ORDER BY signup_at) FROM cdp.customers").columns())
        .containsExactlyInAnyOrder("cdp.customers.customer_id", "cdp.customers.region", "cdp.customers.signup_at");
  }

  @Test
  void subqueriesCorrelationsCommonTableExpressionsAndSetOperationsAreFollowed() {
    assertThat(access(ADMIN, "SELECT customer_id FROM cdp.customers WHERE customer_id IN"
        + " (SELECT customer_id FROM cdp.purchases WHERE channel = 'web')").columns())
        .containsExactlyInAnyOrder("cdp.customers.customer_id", "cdp.purchases.customer_id", "cdp.purchases.channel");
    assertThat(access(ADMIN, "SELECT customer_id FROM cdp.customers c WHERE EXISTS"
        + " (SELECT 1 FROM cdp.purchases p WHERE p.customer_id = c.customer_id AND p.quantity > 3)").columns())
        .containsExactlyInAnyOrder("cdp.customers.customer_id", "cdp.purchases.customer_id", "cdp.purchases.quantity");
    assertThat(access(ADMIN, "WITH big AS (SELECT customer_id, amount FROM cdp.purchases WHERE amount > 100)"
        + " SELECT COUNT(DISTINCT customer_id) FROM big").columns())
        .containsExactlyInAnyOrder("cdp.purchases.customer_id", "cdp.purchases.amount");
    AccessSummary union = access(ADMIN,
        "SELECT customer_id FROM cdp.customers UNION SELECT customer_id FROM cdp.web_sessions");
    assertThat(union.tables()).containsExactlyInAnyOrder("cdp.customers", "cdp.web_sessions");
    assertThat(union.columns()).containsExactlyInAnyOrder("cdp.customers.customer_id", "cdp.web_sessions.customer_id");
  }

  @Test
  void masksAreThoseOfTheColumnsRead() {
    assertThat(access(MAX, "SELECT customer_id, city FROM cdp.customers").masks()).isEmpty();
    assertThat(access(MAX, "SELECT CASE WHEN last_name IS NULL THEN 0 ELSE 1 END, birth_date FROM cdp.customers").masks())
        .containsExactlyInAnyOrder(
            new AccessSummary.AppliedMask("cdp.customers", "last_name", "partial(1, 0)"),
            new AccessSummary.AppliedMask("cdp.customers", "birth_date", "year"));
    assertThat(access(ADMIN, "SELECT email FROM cdp.customers").masks()).isEmpty();
  }

  @Test
  void rowFiltersAreThoseOfTheTablesRead() {
    assertThat(access(MIA, "SELECT COUNT(*) FROM cdp.customers").rowFilters())
        .containsExactly(new AccessSummary.AppliedFilter("cdp.customers", "((region = 'EU'))"));
    assertThat(access(MIA, "SELECT COUNT(*) FROM cdp.purchases").rowFilters())
        .singleElement()
        .satisfies(filter -> {
          assertThat(filter.table()).isEqualTo("cdp.purchases");
          assertThat(filter.sql()).startsWith("\"customer_id\" IN (SELECT \"customer_id\" FROM \"customers\"");
        });
    assertThat(access(MAX, "SELECT COUNT(*) FROM cdp.purchases").rowFilters()).isEmpty();
    assertThat(access(MIA, "SELECT COUNT(*) FROM cdp.products").rowFilters()).isEmpty();
  }

  @Test
  void theSummaryIsPlannedOnceAndCachedWithThePlan() {
    String sql = "SELECT email FROM cdp.customers WHERE customer_id = 3";
    assertThat(access(MAX, sql)).isSameAs(access(MAX, sql));
    QueryContext context = new QueryContext(MAX, Protocol.HTTP, java.util.Optional.empty(), java.util.Optional.empty());
    QueryPlan handed = server.engine().prepare(context, sql);
    assertThat(handed.access()).isSameAs(access(MAX, sql));
    // A cache hit costs a lookup, not a planning.
    assertThat(handed.planningTime()).isLessThan(java.time.Duration.ofMillis(50));
  }

  @Test
  void everyCorpusQueryNamesOnlyTablesItMentions() {
    for (Corpus.Query query : Corpus.load()) {
      for (Principal principal : List.of(ADMIN, MAX)) {
        AccessSummary access = access(principal, query.sql());
        assertThat(access.tables()).as(query.name()).isNotEmpty();
        for (String table : access.tables()) {
          assertThat(query.sql().toLowerCase(Locale.ROOT)).as(query.name())
              .contains(table.substring(table.indexOf('.') + 1));
        }
      }
    }
  }

  @Test
  void refusedQueriesNameTheHiddenTablesAndColumnsTheyReferenced() {
    var catalog = server.engine().catalog();
    var governance = server.engine().governance();
    assertThat(HiddenReferences.in("SELECT c.email, phone, city FROM cdp.customers c", catalog, governance.viewOf(ANA)))
        .containsExactly("cdp.customers.email", "cdp.customers.phone");
    assertThat(HiddenReferences.in("SELECT * FROM cdp.customers", catalog, governance.viewOf(SAM)))
        .containsExactly("cdp.customers");
    assertThat(HiddenReferences.in("SELECT * FROM audit.query_log", catalog, governance.viewOf(MAX)))
        .containsExactly("audit.query_log");
    assertThat(HiddenReferences.in("SELECT x FROM cdp.nonexistent", catalog, governance.viewOf(MAX))).isEmpty();
    assertThat(HiddenReferences.in("SELEC broken", catalog, governance.viewOf(MAX))).isEmpty();
  }
}
