package dev.sluice.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.policies.PolicySet.Allow;
import dev.sluice.policies.PolicySet.Masked;
import dev.sluice.policies.PolicySet.Purpose;
import dev.sluice.policies.PolicySet.RowFilter;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The {@code purposes} section of a policy file and the {@code requires_purpose} of roles. */
class PurposeFileTest {
  private static final Function<String, Optional<String>> NO_VARIABLES = name -> Optional.empty();

  @Test
  void parsesPurposesWithOverlaysAndRolesThatRequireThem() {
    PolicySet policies = PolicyFile.parse("""
        roles:
          activation:
            requires_purpose: true
            tables:
              customers: { columns: { email: deny } }
          marketer:
            tables: { customers: {} }
        purposes:
          email_marketing:
            description: "E-mail campaigns"
            roles: [activation]
            tables:
              customers:
                columns: { email: allow, phone: { mask: hash } }
                row_filters: ["email_opt_in"]
          analytics:
            roles: [activation, marketer]
        """, "purposes.yaml", NO_VARIABLES);

    assertThat(policies.role("activation").orElseThrow().requiresPurpose()).isTrue();
    assertThat(policies.role("marketer").orElseThrow().requiresPurpose()).isFalse();
    assertThat(policies.purposes().keySet()).containsExactly("email_marketing", "analytics");
    Purpose email = policies.purpose("EMAIL_MARKETING").orElseThrow();
    assertThat(email.description()).hasValue("E-mail campaigns");
    assertThat(email.roles()).containsExactly("activation");
    assertThat(email.tables().get("customers").columns())
        .containsEntry("email", new Allow())
        .containsEntry("phone", new Masked(new Mask.Hash(Optional.empty())));
    assertThat(email.tables().get("customers").rowFilters())
        .containsExactly(new RowFilter("email_opt_in", Optional.empty()));
    Purpose analytics = policies.purpose("analytics").orElseThrow();
    assertThat(analytics.description()).isEmpty();
    assertThat(analytics.tables()).isEmpty();
    assertThat(analytics.allows("Marketer")).isTrue();
    assertThat(analytics.allows("admin")).isFalse();
  }

  @Test
  void aFileWithoutPurposesHasNone() {
    PolicySet policies = PolicyFile.parse("roles: {admin: {tables: {customers: {}}}}\n", "plain.yaml", NO_VARIABLES);
    assertThat(policies.purposes()).isEmpty();
    assertThat(policies.role("admin").orElseThrow().requiresPurpose()).isFalse();
  }

  @Test
  void reportsEveryPurposeProblemWithItsKeyPath() {
    String yaml = """
        roles:
          activation:
            requires_purpose: yes please
            tables: { customers: {} }
          lonely:
            requires_purpose: true
            tables: { customers: {} }
          reader:
            tables: { products: {} }
        purposes:
          email_marketing:
            roles: [activation]
            tables:
              customers:
                default: allow
                columns: { email: show }
                row_filters: ["email_opt_in AND"]
          haunted:
            roles: [activation, ghost]
          no_roles:
            tables: {}
          empty_roles:
            roles: []
          "bad name":
            roles: [activation]
          wider:
            roles: [reader]
            tables:
              customers: { columns: { email: allow } }
          typo:
            role: [activation]
          Email_Marketing:
            roles: [activation]
        """;
    assertThatThrownBy(() -> PolicyFile.parse(yaml, "broken.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "roles.activation.requires_purpose: expected true or false, got 'yes please'",
            "purposes.email_marketing.tables.customers.default: unknown key (expected one of columns, row_filters)",
            "purposes.email_marketing.tables.customers.columns.email: expected allow, deny or { mask: ... }, got 'show'",
            e.problems().stream().filter(p -> p.startsWith("purposes.email_marketing.tables.customers.row_filters[0]:"))
                .findFirst().orElse("a syntax error in the row filter"),
            "purposes.haunted.roles[1]: no such role 'ghost' (roles are activation, lonely, reader)",
            "purposes.no_roles.roles: is required (the roles that may declare this purpose)",
            "purposes.empty_roles.roles: expected a list of at least one role, got a list",
            "purposes.bad name: invalid name 'bad name': use letters, digits and underscores, starting with a letter or"
                + " underscore",
            "purposes.wider.tables.customers: none of the purpose's roles (reader) grants this table; a purpose only"
                + " refines what its roles grant",
            "purposes.typo.role: unknown key (expected one of description, roles, tables)",
            "purposes.typo.roles: is required (the roles that may declare this purpose)",
            "purposes.Email_Marketing: duplicate name (same as 'email_marketing'; names are case-insensitive)",
            "roles.lonely.requires_purpose: no purpose lists role lonely in its roles, so its users could never query"));
  }
}
