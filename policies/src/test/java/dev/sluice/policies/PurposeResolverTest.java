package dev.sluice.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a declared purpose changes of a principal's view, and when a principal is refused for its purpose. */
class PurposeResolverTest {
  private static final PolicySet POLICIES = PolicyFile.parse("""
      roles:
        activation:
          requires_purpose: true
          tables:
            customers:
              columns: { email: deny, phone: deny }
              row_filters: ["region <> 'APAC'"]
            purchases: {}
        marketer:
          tables:
            customers:
              columns: { email: { mask: hash }, phone: { mask: hash } }
            purchases: {}
        auditor:
          tables: {}
      purposes:
        email_marketing:
          roles: [activation]
          tables:
            customers:
              columns: { email: allow }
              row_filters: ["email_opt_in"]
        paid_media:
          roles: [activation]
          tables:
            customers:
              columns: { email: { mask: hash }, phone: { mask: hash } }
              row_filters: ["ads_opt_in"]
        analytics:
          roles: [marketer]
      """, "purposes.yaml", name -> Optional.empty());
  private static final List<TableShape> TABLES = List.of(
      new TableShape("customers", List.of("customer_id", "email", "phone", "region", "email_opt_in", "ads_opt_in"),
          Optional.of("customer_id"), true),
      new TableShape("purchases", List.of("order_id", "customer_id"), Optional.of("customer_id"), false));

  private final PolicyResolver resolver = new PolicyResolver(POLICIES);

  @Test
  void anOverlayReplacesTheRolesColumnRulesAndAndsItsFilters() {
    TableView customers = view(principal("act", "activation", "email_marketing"), "customers");
    assertThat(columns(customers)).containsExactly("customer_id", "email", "region", "email_opt_in", "ads_opt_in");
    assertThat(customers.columns().get(1).sql()).isEqualTo("\"email\"");
    assertThat(customers.rowFilter()).hasValue("((region <> 'APAC') AND (email_opt_in))");
    // The customer filter, purpose included, follows the customer key.
    assertThat(view(principal("act", "activation", "email_marketing"), "purchases").rowFilter())
        .hasValue("\"customer_id\" IN (SELECT \"customer_id\" FROM \"customers\""
            + " WHERE ((region <> 'APAC') AND (email_opt_in)))");

    TableView paid = view(principal("act", "activation", "paid_media"), "customers");
    assertThat(columns(paid)).contains("email", "phone");
    assertThat(paid.columns().get(1).mask()).hasValue("hash");
    assertThat(paid.rowFilter()).hasValue("((region <> 'APAC') AND (ads_opt_in))");
  }

  @Test
  void withoutAPurposeTheRoleGrantStands() {
    TableView customers = view(principal("act", "activation", null), "customers");
    assertThat(columns(customers)).doesNotContain("email", "phone");
    assertThat(customers.rowFilter()).hasValue("((region <> 'APAC'))");
  }

  @Test
  void rolesThatMayNotDeclareThePurposeAreUnaffected() {
    // Both roles: the purpose refines activation; marketer still sees every customer, hashed.
    Principal both = new Principal("ab", Set.of("activation", "marketer"), Map.of(), Optional.of("email_marketing"));
    assertThat(resolver.purposeRefusal(both)).isEmpty();
    TableView customers = view(both, "customers");
    assertThat(customers.rowFilter()).isEmpty();
    // Per row: the clear address where activation's purpose filter lets the row through, else the hash.
    assertThat(customers.columns().get(1).sql())
        .startsWith("CASE WHEN (region <> 'APAC') AND (email_opt_in) THEN \"email\" WHEN TRUE THEN SLUICE_MASKED(");
    // A purpose without overlays changes nothing.
    assertThat(view(principal("max", "marketer", "analytics"), "customers"))
        .isEqualTo(view(principal("max", "marketer", null), "customers"));
  }

  @Test
  void refusesAMissingDisallowedOrUnknownPurposeNamingTheAllowedOnes() {
    assertThat(resolver.purposeRefusal(principal("act", "activation", null)))
        .hasValue("User act must declare a purpose (allowed: email_marketing, paid_media)");
    assertThat(resolver.purposeRefusal(principal("act", "activation", "analytics")))
        .hasValue("Purpose 'analytics' is not allowed for user act; allowed purposes: email_marketing, paid_media");
    assertThat(resolver.purposeRefusal(principal("act", "activation", "bogus")))
        .hasValue("Purpose 'bogus' is not allowed for user act; allowed purposes: email_marketing, paid_media");
    assertThat(resolver.purposeRefusal(principal("sam", "auditor", "analytics")))
        .hasValue("Purpose 'analytics' is not allowed for user sam: none of your roles may declare a purpose");
    assertThat(resolver.purposeRefusal(principal("act", "activation", "Email_Marketing"))).isEmpty();
    assertThat(resolver.purposeRefusal(principal("max", "marketer", null))).isEmpty();
    assertThat(resolver.purposeRefusal(principal("max", "marketer", "analytics"))).isEmpty();
    assertThat(resolver.allowedPurposes(principal("max", "marketer", null))).containsExactly("analytics");
  }

  private TableView view(Principal principal, String table) {
    return resolver.resolve(principal, TABLES).get(table);
  }

  private static Principal principal(String user, String role, String purpose) {
    return new Principal(user, Set.of(role), Map.of(), Optional.ofNullable(purpose));
  }

  private static List<String> columns(TableView view) {
    return view.columns().stream().map(TableView.ColumnView::name).toList();
  }
}
