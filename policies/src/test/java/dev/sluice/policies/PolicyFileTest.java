package dev.sluice.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.policies.PolicySet.Allow;
import dev.sluice.policies.PolicySet.Deny;
import dev.sluice.policies.PolicySet.Masked;
import dev.sluice.policies.PolicySet.Role;
import dev.sluice.policies.PolicySet.RowFilter;
import dev.sluice.policies.PolicySet.TableGrant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
  private static final Function<String, Optional<String>> NO_VARIABLES = name -> Optional.empty();

  private static final String EXAMPLE = """
      roles:
        marketer:
          tables:
            customers:
              default: allow
              columns:
                email: { mask: hash }
                phone: { mask: hash, salt_env: SLUICE_HASH_SALT }
                last_name: { mask: "partial(1, 0)" }
                birth_date: { mask: year }
                lifetime_value: { mask: { expression: "ROUND(value, -2)" } }
                notes: deny
                city: allow
              row_filters:
                - sql: "region = ${user.region}"
                  if_attribute: region
                - signup_at >= TIMESTAMP '2020-01-01 00:00:00'
            cdp.purchases: {}
        auditor:
          tables: {}
      """;

  @Test
  void parsesEveryFormOfTheFormat() {
    PolicySet policies = PolicyFile.parse(EXAMPLE, "example.yaml", variables(Map.of("SLUICE_HASH_SALT", "pepper")));

    Map<String, PolicySet.ColumnRule> columns = new LinkedHashMap<>();
    columns.put("email", new Masked(new Mask.Hash(Optional.empty())));
    columns.put("phone", new Masked(new Mask.Hash(Optional.of("pepper"))));
    columns.put("last_name", new Masked(new Mask.Partial(1, 0)));
    columns.put("birth_date", new Masked(new Mask.Year()));
    columns.put("lifetime_value", new Masked(new Mask.Expression("ROUND(value, -2)")));
    columns.put("notes", new Deny());
    columns.put("city", new Allow());
    TableGrant customers = new TableGrant("customers", new Allow(), columns, List.of(
        new RowFilter("region = ${user.region}", Optional.of("region")),
        new RowFilter("signup_at >= TIMESTAMP '2020-01-01 00:00:00'", Optional.empty())));
    TableGrant purchases = new TableGrant("cdp.purchases", new Allow(), Map.of(), List.of());
    Map<String, TableGrant> marketerTables = new LinkedHashMap<>();
    marketerTables.put("customers", customers);
    marketerTables.put("cdp.purchases", purchases);
    Map<String, Role> roles = new LinkedHashMap<>();
    roles.put("marketer", new Role("marketer", marketerTables));
    roles.put("auditor", new Role("auditor", Map.of()));
    assertThat(policies).isEqualTo(new PolicySet(roles));
    assertThat(policies.roles().keySet()).containsExactly("marketer", "auditor");
    assertThat(policies.role("marketer").orElseThrow().tables().get("customers").columns().keySet())
        .containsExactly("email", "phone", "last_name", "birth_date", "lifetime_value", "notes", "city");
  }

  private static Function<String, Optional<String>> variables(Map<String, String> values) {
    return name -> Optional.ofNullable(values.get(name));
  }

  @Test
  void defaultDenyAppliesToColumnsNotListed() {
    PolicySet policies = PolicyFile.parse("""
        roles:
          analyst:
            tables:
              customers:
                default: deny
                columns:
                  region: allow
        """, "deny.yaml", NO_VARIABLES);

    TableGrant grant = policies.role("analyst").orElseThrow().tables().get("customers");
    assertThat(grant.defaultRule()).isEqualTo(new Deny());
    assertThat(grant.rule("REGION")).isEqualTo(new Allow());
    assertThat(grant.rule("email")).isEqualTo(new Deny());
  }

  @Test
  void reportsEveryProblemTogetherWithItsKeyPath() {
    String yaml = """
        role_list: []
        roles:
          marketer:
            tabels: {}
          Analyst:
            tables:
              customers:
                default: maybe
                colums: {}
                columns:
                  email: { mask: hsh }
                  EMAIL: deny
                  phone: hash
                  first-name: allow
                  birth_date: { mask: year, salt_env: SALT }
                  city: { mask: { expression: "ROUND(value,", digits: 2 } }
                  region: { salt_env: SALT }
                  country: [allow]
                  zip: { mask: "partial(1)" }
                row_filters:
                  - sql: "region = ${user.region"
                  - sql: "region = ${region} AND"
                    if_attribute: the-region
                  - if_attribute: region
                  - ""
                  - "region = = 'EU'"
              cdp.customers: {}
              cdp.customers.x: {}
              purchases:
          analyst:
            tables:
        """;

    assertThatThrownBy(() -> PolicyFile.parse(yaml, "broken.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> {
          String customers = "roles.Analyst.tables.customers";
          assertThat(e.problems()).contains(
              "role_list: unknown key (expected one of roles, purposes)",
              "roles.marketer.tabels: unknown key (expected one of tables, min_group_size, requires_purpose)",
              "roles.marketer.tables: is required (write {} for a role that reads no tables)",
              customers + ".colums: unknown key (expected one of default, columns, row_filters)",
              customers + ".default: expected allow or deny, got 'maybe'",
              customers + ".columns.email.mask: unknown mask 'hsh'" + Mask.KINDS,
              customers + ".columns.EMAIL: duplicate name (same as 'email'; names are case-insensitive)",
              customers + ".columns.phone: expected allow, deny or { mask: ... }, got 'hash'"
                  + " (a mask is written { mask: hash })",
              customers + ".columns.first-name: invalid name 'first-name': use letters, digits and"
                  + " underscores, starting with a letter or underscore",
              customers + ".columns.birth_date.salt_env: only a hash mask takes a salt, not year",
              customers + ".columns.city.mask.digits: unknown key (expected expression)",
              customers + ".columns.region.mask: is required (or write allow or deny instead of a mapping)",
              customers + ".columns.region.salt_env: environment variable SALT is not set",
              customers + ".columns.country: expected allow, deny or { mask: ... }, got a list",
              customers + ".columns.zip.mask: partial takes 2 arguments, got 1",
              customers + ".row_filters[0].sql: unterminated ${ (a user attribute is written ${user.NAME})",
              customers + ".row_filters[1].sql: malformed reference '${region}' (expected ${user.NAME},"
                  + " NAME a user attribute)",
              customers + ".row_filters[1].if_attribute: invalid name 'the-region': use letters, digits"
                  + " and underscores, starting with a letter or underscore",
              customers + ".row_filters[2].sql: is required",
              customers + ".row_filters[3]: must not be empty",
              "roles.Analyst.tables.cdp.customers: duplicate table (same as 'customers'; names are"
                  + " case-insensitive, and a table is named either with or without its schema)",
              "roles.Analyst.tables.cdp.customers.x: invalid table name 'cdp.customers.x': write table"
                  + " or schema.table, each a name of letters, digits and underscores",
              "roles.Analyst.tables.purchases: expected a mapping, got nothing"
                  + " (write {} to grant every column in clear)",
              "roles.analyst: duplicate name (same as 'Analyst'; names are case-insensitive)",
              "roles.analyst.tables: is required (write {} for a role that reads no tables)");
          assertThat(e.problems()).anySatisfy(problem ->
              assertThat(problem).startsWith(customers + ".columns.city.mask.expression: invalid SQL: "));
          assertThat(e.problems()).anySatisfy(problem ->
              assertThat(problem).startsWith(customers + ".row_filters[1].sql: invalid SQL: ")
                  .endsWith("at line 1, column 20."));
          assertThat(e.problems()).anySatisfy(problem ->
              assertThat(problem).startsWith(customers + ".row_filters[4]: invalid SQL: ")
                  .endsWith("at line 1, column 8."));
          assertThat(e.problems()).hasSize(28);
          assertThat(e.getMessage())
              .startsWith("Invalid policies broken.yaml:\n  - role_list: unknown key (expected one of roles, purposes)\n  - ")
              .contains("\n  - " + customers + ".columns.email.mask: unknown mask 'hsh' (expected one of hash,");
        });
  }

  @Test
  void saltComesFromTheNamedVariable() {
    String yaml = """
        roles:
          marketer:
            tables:
              customers:
                columns:
                  email: { mask: hash, salt_env: SLUICE_HASH_SALT }
        """;

    PolicySet policies = PolicyFile.parse(yaml, "salted.yaml",
        variables(Map.of("SLUICE_HASH_SALT", "s3cr3t-salt")));

    PolicySet.ColumnRule rule = policies.role("marketer").orElseThrow().tables().get("customers").rule("email");
    assertThat(rule).isEqualTo(new Masked(new Mask.Hash(Optional.of("s3cr3t-salt"))));
    assertThat(rule.toString()).doesNotContain("s3cr3t-salt");
    assertThatThrownBy(() -> PolicyFile.parse(yaml, "salted.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).containsExactly(
            "roles.marketer.tables.customers.columns.email.salt_env:"
                + " environment variable SLUICE_HASH_SALT is not set"));
  }

  @Test
  void saltNeverAppearsInErrors() {
    String yaml = """
        roles:
          marketer:
            tables:
              customers:
                columns:
                  email: { mask: hash, salt_env: SLUICE_HASH_SALT }
                  phone: { mask: hsh, salt_env: SLUICE_HASH_SALT }
                  city: { mask: year, salt_env: SLUICE_HASH_SALT }
        """;

    assertThatThrownBy(() -> PolicyFile.parse(yaml, "salted.yaml", name -> Optional.of("s3cr3t-salt")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("columns.phone.mask: unknown mask 'hsh'")
        .hasMessageContaining("columns.city.salt_env: only a hash mask takes a salt")
        .hasMessageNotContaining("s3cr3t-salt");
    assertThatThrownBy(() -> PolicyFile.parse(yaml, "salted.yaml", name -> Optional.of("")))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).contains(
            "roles.marketer.tables.customers.columns.email.salt_env:"
                + " environment variable SLUICE_HASH_SALT is empty"));
  }

  @Test
  void yamlSyntaxErrorsGiveLineAndColumn() {
    String yaml = """
        roles:
          marketer:
            tables: {customers: {}
        """;

    assertThatThrownBy(() -> PolicyFile.parse(yaml, "syntax.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> {
          assertThat(e.problems()).hasSize(1);
          assertThat(e.problems().get(0)).matches("line \\d+, column \\d+: .*");
          assertThat(e.getMessage()).startsWith("Invalid policies syntax.yaml:\n  - line ");
        });
  }

  @Test
  void duplicateKeysAreSyntaxErrors() {
    String yaml = """
        roles:
          marketer:
            tables:
              customers: {}
              customers: { default: deny }
        """;

    assertThatThrownBy(() -> PolicyFile.parse(yaml, "twice.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).singleElement()
            .asString().matches("line 5, column \\d+: duplicate key 'customers'.*"));
  }

  @Test
  void masksMayNotReferToUserAttributes() {
    String yaml = """
        roles:
          marketer:
            tables:
              customers:
                columns:
                  city: { mask: { expression: "CASE WHEN region = ${user.region} THEN value END" } }
        """;

    assertThatThrownBy(() -> PolicyFile.parse(yaml, "mask.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).containsExactly(
            "roles.marketer.tables.customers.columns.city.mask.expression:"
                + " ${...} is not available in masks; user attributes belong in row filters"));
  }

  @Test
  void aRoleMayBeAggregationOnlyWithAMinimumGroupSize() {
    String yaml = """
        roles:
          analyst:
            min_group_size: 25
            tables: {customers: {}}
          admin:
            tables: {customers: {}}
        """;
    PolicySet policies = PolicyFile.parse(yaml, "floor.yaml", NO_VARIABLES);
    assertThat(policies.role("analyst").orElseThrow().minGroupSize()).hasValue(25);
    assertThat(policies.role("admin").orElseThrow().minGroupSize()).isEmpty();

    for (String bad : List.of("1", "0", "-5", "2.5", "many", "[25]", "3000000000")) {
      String broken = "roles:\n  analyst:\n    min_group_size: " + bad + "\n    tables: {}\n";
      assertThatThrownBy(() -> PolicyFile.parse(broken, "floor.yaml", NO_VARIABLES))
          .as(bad)
          .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems()).singleElement()
              .asString().startsWith("roles.analyst.min_group_size: expected a whole number of customers,"
                  + " at least 2, got"));
    }
  }

  @Test
  void emptyOrMisshapenFilesAreReported() {
    assertThatThrownBy(() -> PolicyFile.parse("", "empty.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
            .containsExactly("roles: is required (the file is empty)"));
    assertThatThrownBy(() -> PolicyFile.parse("- roles\n", "list.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
            .containsExactly("(top level): expected a mapping, got a list"));
    assertThatThrownBy(() -> PolicyFile.parse("roles: {}\n", "none.yaml", NO_VARIABLES))
        .isInstanceOfSatisfying(PolicyException.class, e -> assertThat(e.problems())
            .containsExactly("roles: at least one role is required"));
  }

  @Test
  void loadsFromAFileAndNamesItInErrors(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("policies.yaml");
    Files.writeString(file, "roles:\n  auditor:\n    tables: {}\n");
    assertThat(PolicyFile.load(file, NO_VARIABLES).role("auditor")).contains(new Role("auditor", Map.of()));

    Path missing = directory.resolve("missing.yaml");
    assertThatThrownBy(() -> PolicyFile.load(missing, NO_VARIABLES))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("Invalid policies " + missing + ":\n  - cannot read the file: ");
  }
}
