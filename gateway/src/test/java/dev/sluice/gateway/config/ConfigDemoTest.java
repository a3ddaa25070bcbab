package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.UserAccount;
import dev.sluice.policies.UserAccount.BcryptHash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigDemoTest {
  private static final VariableResolver DATA_DIR =
      VariableResolver.of(Map.of("SLUICE_DATA_DIR", "/var/sluice"));

  private final GatewayConfig config = ConfigLoader.demo(DATA_DIR);

  @Test
  void listensLocallyWithEngineDefaults() {
    assertThat(config.listeners().http()).isEqualTo(new HttpListenerConfig("127.0.0.1", 8765));
    assertThat(config.listeners().flight()).isEqualTo(FlightListenerConfig.defaults());
    assertThat(config.engine()).isEqualTo(EngineConfig.defaults());
  }

  @Test
  void twoDuckDbWarehousesUnderTheDataDirectory() {
    assertThat(config.warehouses()).containsExactly(
        // Eight statements at once, and one more pooled connection for readiness checks.
        new WarehouseConfig("dw", "duckdb", 9, Map.of("path", "/var/sluice/dw.duckdb", "read_only", "true"))
            .withAdmission(WarehouseAdmission.defaults(8)),
        new WarehouseConfig("lake", "duckdb", 9, Map.of("path", "/var/sluice/lake.duckdb", "read_only", "true"))
            .withAdmission(WarehouseAdmission.defaults(8)));
  }

  @Test
  void needsTheDataDirectory() {
    assertThatThrownBy(() -> ConfigLoader.demo(VariableResolver.none()))
        .isInstanceOf(GatewayException.class)
        .hasMessage("""
            Invalid configuration demo.yaml:
              - warehouses.dw.duckdb.path: environment variable SLUICE_DATA_DIR is not set
              - warehouses.lake.duckdb.path: environment variable SLUICE_DATA_DIR is not set
              - audit.directory: environment variable SLUICE_DATA_DIR is not set""");
  }

  @Test
  void virtualSchemaHasDesignsTablesAndColumnsInOrder() {
    VirtualSchemaConfig schema = config.schema();
    assertThat(schema.name()).isEqualTo("cdp");
    assertThat(schema.tables()).extracting(VirtualTableConfig::name)
        .containsExactly("customers", "propensity_scores", "purchases", "web_sessions", "products");
    assertThat(columnNames("customers")).containsExactly(
        "customer_id", "email", "phone", "first_name", "last_name", "birth_date", "city", "region",
        "country", "loyalty_tier", "signup_at", "email_opt_in", "ads_opt_in", "lifetime_value");
    assertThat(columnNames("propensity_scores")).containsExactly(
        "customer_id", "bread", "soft_drinks", "dairy", "produce", "snacks", "frozen", "scored_at");
    assertThat(columnNames("purchases")).containsExactly(
        "order_id", "customer_id", "product_id", "purchased_at", "quantity", "amount", "channel");
    assertThat(columnNames("web_sessions")).containsExactly(
        "session_id", "customer_id", "started_at", "device", "utm_source", "page_views", "converted");
    assertThat(columnNames("products")).containsExactly("product_id", "name", "category", "brand", "price");
  }

  @Test
  void customersMapOntoHouseholds() {
    VirtualTableConfig customers = table("customers");
    assertThat(customers.kind()).isEqualTo(TableKind.CUSTOMER_BASE);
    assertThat(customers.source()).isEqualTo(new SourceTable("dw", "retail", "households"));
    assertThat(customers.primaryKey()).containsExactly("customer_id");
    assertThat(customers.customerKey()).contains("customer_id");
    assertThat(customers.timeColumn()).isEmpty();
    assertThat(customers.column("customer_id")).contains(ColumnConfig.physical("customer_id", "household_key"));
    assertThat(customers.column("region")).contains(ColumnConfig.physical("region", "region_code"));
    assertThat(customers.column("loyalty_tier")).contains(new ColumnConfig(
        "loyalty_tier", Optional.empty(), Optional.of("LOWER(tier)"), Optional.of("VARCHAR")));
  }

  @Test
  void eventsUserInfoAndEntitiesHaveTheirKeys() {
    assertThat(table("propensity_scores").kind()).isEqualTo(TableKind.USER_INFO);
    assertThat(table("propensity_scores").source()).isEqualTo(new SourceTable("lake", "ml", "propensity"));
    assertThat(table("purchases").timeColumn()).contains("purchased_at");
    assertThat(table("purchases").column("purchased_at")).contains(ColumnConfig.physical("purchased_at", "txn_ts"));
    assertThat(table("web_sessions").source()).isEqualTo(new SourceTable("lake", "web", "sessions"));
    assertThat(table("web_sessions").primaryKey()).containsExactly("session_id");
    assertThat(table("web_sessions").timeColumn()).contains("started_at");
    assertThat(table("products").kind()).isEqualTo(TableKind.ENTITY);
    assertThat(table("products").customerKey()).isEmpty();
    assertThat(table("products").column("price")).contains(new ColumnConfig(
        "price", Optional.of("list_price"), Optional.empty(), Optional.of("DECIMAL(10,2)")));
  }

  @Test
  void demoUsersHaveTheirRolesAndAttributes() {
    assertThat(config.users()).extracting(UserAccount::name)
        .containsExactly("admin", "max", "mia", "ana", "act", "sam");
    assertThat(roles("admin")).containsExactly("admin");
    assertThat(roles("max")).containsExactly("marketer");
    assertThat(roles("mia")).containsExactly("marketer");
    assertThat(roles("ana")).containsExactly("analyst");
    assertThat(roles("act")).containsExactly("activation");
    assertThat(roles("sam")).containsExactly("auditor");
    assertThat(config.user("mia").orElseThrow().attributes()).isEqualTo(Map.of("region", "EU"));
    assertThat(config.user("max").orElseThrow().attributes()).isEmpty();
  }

  @Test
  void demoPasswordsAreUserDashDemo() {
    for (UserAccount user : config.users()) {
      String hash = ((BcryptHash) user.credential()).hash();
      assertThat(BCrypt.verifyer().verify((user.name() + "-demo").toCharArray(), hash).verified)
          .as("password of %s", user.name())
          .isTrue();
      assertThat(hash).startsWith("$2a$10$");
    }
  }

  @Test
  void errorCodeIsConfigurationError() {
    assertThatThrownBy(() -> ConfigLoader.demo(VariableResolver.none()))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR));
  }

  private VirtualTableConfig table(String name) {
    return config.schema().table(name).orElseThrow();
  }

  private List<String> columnNames(String table) {
    return table(table).columns().stream().map(ColumnConfig::name).toList();
  }

  private Set<String> roles(String user) {
    return config.user(user).orElseThrow().roles();
  }
}
