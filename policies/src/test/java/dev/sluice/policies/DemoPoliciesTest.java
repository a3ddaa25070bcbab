package dev.sluice.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.policies.PolicySet.Allow;
import dev.sluice.policies.PolicySet.Deny;
import dev.sluice.policies.PolicySet.Masked;
import dev.sluice.policies.PolicySet.Purpose;
import dev.sluice.policies.PolicySet.Role;
import dev.sluice.policies.PolicySet.RowFilter;
import dev.sluice.policies.PolicySet.TableGrant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's policy file, which the gateway ships, grants exactly the demo roles of DESIGN.md. */
class DemoPoliciesTest {
  // Tests run in the policies module's directory; the file lives with the rest of the demo.
  private static final Path DEMO_POLICIES =
      Path.of("../gateway/src/main/resources/dev/sluice/gateway/demo/policies.yaml");
  private static final List<String> CDP_TABLES =
      List.of("customers", "propensity_scores", "purchases", "web_sessions", "products");
  private static final List<String> CUSTOMER_COLUMNS = List.of(
      "customer_id", "email", "phone", "first_name", "last_name", "birth_date", "city", "region",
      "country", "loyalty_tier", "signup_at", "email_opt_in", "ads_opt_in", "lifetime_value");

  private static PolicySet policies;

  @BeforeAll
  static void load() {
    policies = PolicyFile.load(DEMO_POLICIES, name -> Optional.empty());
  }

  @Test
  void definesTheDemoRoles() {
    assertThat(policies.roles().keySet())
        .containsExactly("admin", "marketer", "analyst", "activation", "auditor");
  }

  @Test
  void adminSeesEveryTableInClear() {
    Role admin = role("admin");
    assertThat(admin.tables().keySet()).containsExactlyElementsOf(CDP_TABLES);
    admin.tables().values().forEach(this::assertAllClear);
  }

  @Test
  void marketerSeesContactsHashedNamesAndBirthDatesCoarsenedAndOwnRegionIfAny() {
    Role marketer = role("marketer");
    assertThat(marketer.tables().keySet()).containsExactlyElementsOf(CDP_TABLES);
    TableGrant customers = marketer.tables().get("customers");
    assertThat(customers.rule("email")).isEqualTo(new Masked(new Mask.Hash(Optional.empty())));
    assertThat(customers.rule("phone")).isEqualTo(new Masked(new Mask.Hash(Optional.empty())));
    assertThat(customers.rule("last_name")).isEqualTo(new Masked(new Mask.Partial(1, 0)));
    assertThat(customers.rule("birth_date")).isEqualTo(new Masked(new Mask.Year()));
    assertThat(CUSTOMER_COLUMNS)
        .filteredOn(column -> !List.of("email", "phone", "last_name", "birth_date").contains(column))
        .allSatisfy(column -> assertThat(customers.rule(column)).isEqualTo(new Allow()));
    assertThat(customers.rowFilters())
        .containsExactly(new RowFilter("region = ${user.region}", Optional.of("region")));
    // Customer filters reach the other tables through the customer key, in the gateway.
    CDP_TABLES.stream().filter(table -> !table.equals("customers"))
        .forEach(table -> assertAllClear(marketer.tables().get(table)));
  }

  @Test
  void analystSeesNoDirectIdentifiers() {
    Role analyst = role("analyst");
    assertThat(analyst.tables().keySet()).containsExactlyElementsOf(CDP_TABLES);
    TableGrant customers = analyst.tables().get("customers");
    for (String column : List.of("email", "phone", "first_name", "last_name")) {
      assertThat(customers.rule(column)).as(column).isEqualTo(new Deny());
    }
    assertThat(customers.rule("birth_date")).isEqualTo(new Masked(new Mask.Year()));
    assertThat(customers.rule("region")).isEqualTo(new Allow());
    assertThat(customers.rowFilters()).isEmpty();
    CDP_TABLES.stream().filter(table -> !table.equals("customers"))
        .forEach(table -> assertAllClear(analyst.tables().get(table)));
  }

  @Test
  void activationMustDeclareAPurposeAndSeesContactsOnlyThroughOne() {
    Role activation = role("activation");
    assertThat(activation.requiresPurpose()).isTrue();
    assertThat(activation.tables().keySet()).containsExactlyElementsOf(CDP_TABLES);
    TableGrant customers = activation.tables().get("customers");
    assertThat(customers.rule("email")).isEqualTo(new Deny());
    assertThat(customers.rule("phone")).isEqualTo(new Deny());
    assertThat(CUSTOMER_COLUMNS)
        .filteredOn(column -> !List.of("email", "phone").contains(column))
        .allSatisfy(column -> assertThat(customers.rule(column)).isEqualTo(new Allow()));
    assertThat(customers.rowFilters()).isEmpty();
    CDP_TABLES.stream().filter(table -> !table.equals("customers"))
        .forEach(table -> assertAllClear(activation.tables().get(table)));
  }

  @Test
  void purposesGrantContactsOfCustomersWhoConsentedToThatUse() {
    assertThat(policies.purposes().keySet()).containsExactly("email_marketing", "paid_media", "analytics");
    Purpose email = policies.purpose("email_marketing").orElseThrow();
    assertThat(email.roles()).containsExactly("activation");
    assertThat(email.tables().keySet()).containsExactly("customers");
    assertThat(email.tables().get("customers").columns()).containsExactly(Map.entry("email", new Allow()));
    assertThat(email.tables().get("customers").rowFilters()).containsExactly(new RowFilter("email_opt_in", Optional.empty()));

    Purpose paid = policies.purpose("paid_media").orElseThrow();
    assertThat(paid.roles()).containsExactly("activation");
    assertThat(paid.tables().get("customers").columns()).containsExactly(
        Map.entry("email", new Masked(new Mask.Hash(Optional.empty()))),
        Map.entry("phone", new Masked(new Mask.Hash(Optional.empty()))));
    assertThat(paid.tables().get("customers").rowFilters()).containsExactly(new RowFilter("ads_opt_in", Optional.empty()));

    Purpose analytics = policies.purpose("analytics").orElseThrow();
    assertThat(analytics.roles()).containsExactly("analyst", "marketer");
    assertThat(analytics.tables()).isEmpty();
    for (String role : List.of("admin", "marketer", "analyst", "auditor")) {
      assertThat(role(role).requiresPurpose()).as(role).isFalse();
    }
  }

  @Test
  void auditorReadsNoCdpTable() {
    // Its one grant is the audit log, a table the gateway serves itself, granted whole.
    assertThat(role("auditor").tables().keySet()).containsExactly("audit.query_log").doesNotContainAnyElementsOf(CDP_TABLES);
    assertAllClear(role("auditor").tables().get("audit.query_log"));
  }

  private static Role role(String name) {
    return policies.role(name).orElseThrow();
  }

  private void assertAllClear(TableGrant grant) {
    assertThat(grant.defaultRule()).as(grant.table()).isEqualTo(new Allow());
    assertThat(grant.columns().values()).as(grant.table()).allMatch(rule -> rule.equals(new Allow()));
    assertThat(grant.rowFilters()).as(grant.table()).isEmpty();
  }
}
