package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.UserAccount.BcryptHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final String HASH = "$2a$10$Yxuo/Cc2IkxaFUFw5zr2Ae5k0lPmwr2Jv97TK7wMe2BaeU9/WxduC";

  /** The smallest valid configuration: one warehouse, one table, one user. */
  static final String MINIMAL = """
      warehouses:
        dw:
          dialect: duckdb
          duckdb:
            path: /data/dw.duckdb
      schema:
        tables:
          products:
            kind: entity
            source: dw.retail.skus
            primary_key: [product_id]
            columns:
              product_id: sku_id
      users:
        admin:
          password_hash: "%s"
          roles: [admin]
      """.formatted(HASH);

  @Test
  void appliesDefaults() {
    GatewayConfig config = parse(MINIMAL);

    assertThat(config.listeners().http()).isEqualTo(new HttpListenerConfig("127.0.0.1", 8765));
    assertThat(config.listeners().flight()).isEqualTo(new FlightListenerConfig("127.0.0.1", 32010));
    assertThat(config.engine()).isEqualTo(
        new EngineConfig(Duration.ofSeconds(300), 10_000, 100_000, 1000, 65_536));
    // Eight statements at once by default, and one spare pooled connection for readiness checks.
    assertThat(config.warehouses()).containsExactly(
        new WarehouseConfig("dw", "duckdb", 9, Map.of("path", "/data/dw.duckdb", "read_only", "true"))
            .withAdmission(WarehouseAdmission.defaults(8)));
    assertThat(config.limits()).isEqualTo(LimitsConfig.defaults());
    assertThat(config.metrics()).isEqualTo(MetricsConfig.defaults());
    assertThat(config.schema().name()).isEqualTo("cdp");
    assertThat(config.schema().tables()).containsExactly(new VirtualTableConfig(
        "products", TableKind.ENTITY, new SourceTable("dw", "retail", "skus"),
        List.of("product_id"), Optional.empty(), Optional.empty(),
        List.of(ColumnConfig.physical("product_id", "sku_id"))));
    assertThat(config.user("admin").orElseThrow().credential()).isEqualTo(new BcryptHash(HASH));
    assertThat(config.user("admin").orElseThrow().attributes()).isEmpty();
  }

  @Test
  void readsExplicitListenerAndEngineSettings() {
    GatewayConfig config = parse("""
        listeners:
          http: { host: 0.0.0.0, port: 0 }
        engine:
          query_timeout: 250ms
          default_frame_rows: 500
          max_frame_rows: 500
          plan_cache_size: 0
        """ + MINIMAL);

    assertThat(config.listeners().http()).isEqualTo(new HttpListenerConfig("0.0.0.0", 0));
    assertThat(config.engine()).isEqualTo(new EngineConfig(Duration.ofMillis(250), 500, 500, 0, 65_536));
    assertThat(parse("engine: { query_timeout: 5m }\n" + MINIMAL).engine().queryTimeout())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(parse("engine: { query_timeout: 2h }\n" + MINIMAL).engine().queryTimeout())
        .isEqualTo(Duration.ofHours(2));
  }

  @Test
  void reportsEveryProblemOfAFileInOneException() {
    String yaml = """
        listeners:
          http:
            prot: 80
            port: abc
        engine:
          query_timeout: 300
          default_frame_rows: 500
          max_frame_rows: 100
        warehouses:
          dw:
            dialect: duckdb
            pool_size: 0
            duckdb:
              read_only: maybe
          pg:
            dialect: postgresql
            postgresql: { host: db.example.com }
          bad-name:
            dialect: oracle
        schema:
          tables:
            customers:
              kind: customer_base
              source: dx.retail.households
              primary_key: [id]
              customer_key: customer_id
              columns:
                customer_id: household_key
                Customer_ID: other_key
                tier: { expression: "LOWER(tier", type: "DECIMAL(12," }
                both: { column: a, expression: b }
                weird: { column: x, type: FOO }
            events:
              kind: event
              source: dw.retail
              columns: [a, b]
            things:
              kind: thing
              source: dw.a.b
              columns: {}
        users:
          admin:
            password_hash: not-a-hash
            roles: []
          mia:
            password_env: MIA_PASSWORD
            roles: [marketer]
          both:
            password_hash: x
            password_env: Y
            roles: admin
          none:
            roles: [a-b]
            attributes: { region: [EU] }
        """;

    assertThatThrownBy(() -> ConfigLoader.parse(yaml, "demo.yaml", VariableResolver.none()))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
        .hasMessage("""
            Invalid configuration demo.yaml:
              - listeners.http.prot: unknown key (expected one of host, port, tls, cors, handler_threads)
              - listeners.http.port: expected an integer, got 'abc'
              - engine.query_timeout: expected a duration such as '300s', '5m' or '250ms', got '300'
              - engine.max_frame_rows: must be at least default_frame_rows (500), got 100
              - warehouses.dw.pool_size: must be between 1 and 1000, got 0
              - warehouses.dw.duckdb.path: is required
              - warehouses.dw.duckdb.read_only: expected true or false, got 'maybe'
              - warehouses.pg.postgresql.database: is required
              - warehouses.pg.postgresql.user: is required
              - warehouses.pg.postgresql.password_env: is required
              - warehouses.bad-name: invalid name 'bad-name': use letters, digits and underscores, \
            starting with a letter or underscore
              - warehouses.bad-name.dialect: unknown dialect 'oracle' \
            (expected one of duckdb, postgresql, redshift, databricks)
              - schema.tables.customers.source: unknown warehouse 'dx'
              - schema.tables.customers.columns.Customer_ID: duplicate name \
            (same as 'customer_id'; names are case-insensitive)
              - schema.tables.customers.columns.tier.expression: invalid expression: \
            Encountered "<EOF>" at line 1, column 10.
              - schema.tables.customers.columns.tier.type: invalid type 'DECIMAL(12,': \
            Encountered ")" at line 1, column 12.
              - schema.tables.customers.columns.both: set either column or expression, not both
              - schema.tables.customers.columns.weird.type: unknown type 'FOO'
              - schema.tables.customers.primary_key[0]: unknown column 'id' (not among this table's columns)
              - schema.tables.events.source: expected warehouse.schema.table, got 'dw.retail'
              - schema.tables.events.columns: expected a mapping, got a list
              - schema.tables.events.customer_key: is required for event tables
              - schema.tables.events.time_column: is required for event tables
              - schema.tables.things.kind: unknown kind 'thing' \
            (expected one of customer_base, user_info, event, entity)
              - schema.tables.things.columns: at least one column is required
              - users.admin.password_hash: must be a bcrypt hash \
            ($2a$, $2b$ or $2y$ followed by cost and 53 characters)
              - users.admin.roles: at least one role is required
              - users.mia.password_env: environment variable MIA_PASSWORD is not set
              - users.both: set either password_hash or password_env, not both
              - users.both.roles: expected a list, got 'admin'
              - users.none: one of password_hash or password_env is required
              - users.none.roles[0]: invalid name 'a-b': use letters, digits and underscores, \
            starting with a letter or underscore
              - users.none.attributes.region: expected a string, got a list""");
  }

  @Test
  void rejectsUnknownKeysAtEveryLevel() {
    String yaml = MINIMAL
        .replace("warehouses:\n", "extra: 1\nwarehouses:\n")
        .replace("    dialect: duckdb\n", "    dialect: duckdb\n    pool: 4\n")
        .replace("      path: /data", "      memory_limit: 1GB\n      path: /data")
        .replace("      kind: entity\n", "      kind: entity\n      primary_keys: [x]\n")
        .replace("    roles: [admin]\n", "    roles: [admin]\n    role: admin\n")
        + "listeners: { http: { prot: 1 }, flight: { prot: 1 }, grpc: {} }\n";

    assertThatThrownBy(() -> parse(yaml)).hasMessage("""
        Invalid configuration test.yaml:
          - extra: unknown key (expected one of listeners, auth, engine, warehouses, schema, users, policies, limits, metrics, audit)
          - listeners.grpc: unknown key (expected one of http, flight)
          - listeners.http.prot: unknown key (expected one of host, port, tls, cors, handler_threads)
          - listeners.flight.prot: unknown key (expected one of enabled, host, port, tls)
          - warehouses.dw.pool: unknown key (expected one of dialect, pool_size, pushdown, limits, connections, circuit_breaker, duckdb)
          - warehouses.dw.duckdb.memory_limit: unknown key (expected one of path, read_only)
          - schema.tables.products.primary_keys: unknown key \
        (expected one of kind, source, primary_key, customer_key, time_column, columns)
          - users.admin.role: unknown key (expected one of password_hash, password_env, roles, attributes)""");
  }

  @Test
  void reportsWrongTypes() {
    String yaml = """
        listeners: { http: { host: [a], port: 8.5 } }
        engine: { default_frame_rows: true, plan_cache_size: 99999999999 }
        warehouses: [dw]
        schema: { tables: { t: { kind: entity, source: dw.a.b, primary_key: id, columns: { id: { column: [x] } } } } }
        users: { admin: "secret" }
        """;

    assertThatThrownBy(() -> parse(yaml)).hasMessage("""
        Invalid configuration test.yaml:
          - listeners.http.host: expected a string, got a list
          - listeners.http.port: expected an integer, got '8.5'
          - engine.default_frame_rows: expected an integer, got 'true'
          - engine.plan_cache_size: must be between 0 and 1000000, got 99999999999
          - warehouses: expected a mapping, got a list
          - schema.tables.t.source: unknown warehouse 'dw'
          - schema.tables.t.columns.id.column: expected a string, got a list
          - schema.tables.t.primary_key: expected a list, got 'id'
          - users.admin: expected a mapping, got 'secret'""");
  }

  @Test
  void checksTableKeys() {
    String yaml = MINIMAL.replace("""
            products:
              kind: entity
              source: dw.retail.skus
              primary_key: [product_id]
              columns:
                product_id: sku_id
        """, """
            customers:
              kind: customer_base
              source: dw.retail.households
              primary_key: [customer_id, email]
              customer_key: customer_id
              time_column: signup
              columns:
                customer_id: household_key
                email: email_address
            scores:
              kind: user_info
              source: dw.ml.scores
              columns: { score: p }
            products:
              kind: entity
              source: dw.retail.skus
              columns: { product_id: sku_id }
            skus:
              kind: entity
              source: dw.retail.skus
              primary_key: []
              columns: { sku_id: sku_id }
        """);

    assertThatThrownBy(() -> parse(yaml)).hasMessage("""
        Invalid configuration test.yaml:
          - schema.tables.customers.time_column: unknown column 'signup' (not among this table's columns)
          - schema.tables.customers.primary_key: a customer_base table has one row per customer, \
        so its primary_key must be [customer_id]
          - schema.tables.scores.customer_key: is required for user_info tables
          - schema.tables.products.primary_key: is required for entity tables
          - schema.tables.skus.primary_key: must name at least one column""");
  }

  @Test
  void checksColumnSql() {
    String yaml = MINIMAL.replace("        product_id: sku_id\n", """
                product_id: sku_id
                a: { expression: "(SELECT max(x) FROM secrets)" }
                b: { expression: "CASE WHEN x > 0 THEN 'y' ELSE 'n' END", type: "VARCHAR(1)" }
                c: { column: x, type: "INT) + CAST(NULL AS INT" }
                d: { type: INT }
                e: { expression: "x +" }
                f: { column: " " }
        """);

    assertThatThrownBy(() -> parse(yaml)).hasMessage("""
        Invalid configuration test.yaml:
          - schema.tables.products.columns.a.expression: invalid expression: must not contain a query
          - schema.tables.products.columns.c.type: invalid type 'INT) + CAST(NULL AS INT'
          - schema.tables.products.columns.d: one of column or expression is required
          - schema.tables.products.columns.e.expression: invalid expression: \
        Encountered "+ <EOF>" at line 1, column 3.
          - schema.tables.products.columns.f.column: must not be empty""");
  }

  @Test
  void bindsPostgresAndRedshiftSettingsWithPasswordsFromTheEnvironment() {
    String yaml = MINIMAL.replace("warehouses:\n", """
        warehouses:
          pg:
            dialect: postgresql
            postgresql: { host: db.example.com, database: cdp, user: sluice, password_env: PG_PASSWORD }
          rs:
            dialect: redshift
            pool_size: 4
            redshift:
              host: example.com
              database: dev
              user: analyst
              iam_profile: cdp-readonly
        """);

    GatewayConfig config =
        ConfigLoader.parse(yaml, "test.yaml", VariableResolver.of(Map.of("PG_PASSWORD", "hunter2")));

    assertThat(config.warehouses()).contains(
        new WarehouseConfig("pg", "postgresql", 9, Map.of("host", "db.example.com", "port", "5432",
            "database", "cdp", "user", "sluice", "password", "hunter2", "ssl_mode", "prefer"))
            .withAdmission(WarehouseAdmission.defaults(8)),
        new WarehouseConfig("rs", "redshift", 4, Map.of("host", "example.com", "port", "5439",
            "database", "dev", "user", "analyst", "iam_profile", "cdp-readonly", "ssl_mode", "verify-full")));
    assertThat(config.warehouses().toString()).doesNotContain("hunter2");
  }

  @Test
  void bindsDatabricksSettingsWithTokenOrOAuthFromTheEnvironment() {
    String yaml = MINIMAL.replace("warehouses:\n", """
        warehouses:
          lake:
            dialect: databricks
            databricks:
              server_hostname: adb-123.4.azuredatabricks.net
              http_path: /sql/1.0/warehouses/abc
              token_env: DBX_TOKEN
              catalog: main
          m2m:
            dialect: databricks
            databricks: { server_hostname: h.example.com, http_path: /p, client_id: sp-1, client_secret_env: DBX_SECRET }
          bad:
            dialect: databricks
            databricks: { server_hostname: h, http_path: /p, token_env: DBX_TOKEN, client_id: x, client_secret_env: DBX_SECRET }
        """);
    VariableResolver variables = VariableResolver.of(Map.of("DBX_TOKEN", "dapi-secret", "DBX_SECRET", "oauth-secret"));

    assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test.yaml", variables))
        .hasMessageContaining("warehouses.bad.databricks: set either token_env or client_id with client_secret_env, not both")
        .hasMessageNotContaining("dapi-secret")
        .hasMessageNotContaining("oauth-secret");
    GatewayConfig config = ConfigLoader.parse(
        yaml.substring(0, yaml.indexOf("  bad:")) + yaml.substring(yaml.indexOf("  dw:")), "test.yaml", variables);
    assertThat(config.warehouse("lake").orElseThrow().settings())
        .containsEntry("server_hostname", "adb-123.4.azuredatabricks.net")
        .containsEntry("port", "443")
        .containsEntry("token", "dapi-secret")
        .containsEntry("catalog", "main");
    assertThat(config.warehouse("m2m").orElseThrow().settings())
        .containsEntry("client_id", "sp-1")
        .containsEntry("client_secret", "oauth-secret");
    assertThat(config.warehouses().toString()).doesNotContain("dapi-secret").doesNotContain("oauth-secret");
  }

  @Test
  void reportsBadPostgresAndRedshiftSettingsWithTheirPaths() {
    String yaml = MINIMAL.replace("warehouses:\n", """
        warehouses:
          pg:
            dialect: postgresql
            postgresql: { host: db, database: cdp, user: u, password_env: PG_PASSWORD, ssl_mode: maybe, pasword: x }
          rs:
            dialect: redshift
            redshift: { host: example.com, port: 99999, database: dev, user: u, password_env: RS_PASSWORD, iam_profile: p }
          rs2:
            dialect: redshift
            redshift: { host: example.com, database: dev, user: u }
        """);

    assertThatThrownBy(() -> parse(yaml)).hasMessage("""
        Invalid configuration test.yaml:
          - warehouses.pg.postgresql.pasword: unknown key \
        (expected one of host, port, database, user, password_env, ssl_mode)
          - warehouses.pg.postgresql.password_env: environment variable PG_PASSWORD is not set
          - warehouses.pg.postgresql.ssl_mode: unknown SSL mode 'maybe' \
        (expected one of disable, allow, prefer, require, verify-ca, verify-full)
          - warehouses.rs.redshift.port: must be between 1 and 65535, got 99999
          - warehouses.rs.redshift: set either password_env or iam_profile, not both
          - warehouses.rs2.redshift: one of password_env or iam_profile is required""");
  }

  @Test
  void warehouseSettingsAreNotPrinted() {
    WarehouseConfig warehouse = new WarehouseConfig("rs", "redshift", 4, Map.of("password", "hunter2"));

    assertThat(warehouse.toString()).doesNotContain("hunter2").contains("password");
    assertThat(warehouse.setting("password")).contains("hunter2");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirLine() {
    String yaml = """
        listeners:
          http:
            host: 127.0.0.1
           port: 8765
        """;

    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
        .hasMessageStartingWith("Invalid configuration test.yaml:\n  - line 4, column 4: ")
        .hasMessageContaining("while parsing a block mapping");
    assertThatThrownBy(() -> parse("users: [admin\n"))
        .hasMessageStartingWith("Invalid configuration test.yaml:\n  - line 2, column 1: ");
  }

  @Test
  void rejectsDuplicateKeys() {
    assertThatThrownBy(() -> parse(MINIMAL + "users: {}\n"))
        .hasMessage("Invalid configuration test.yaml:\n  - line 18, column 6: duplicate key 'users'");
  }

  @Test
  void anEmptyFileNamesTheMissingSections() {
    assertThatThrownBy(() -> parse("# nothing yet\n")).hasMessage("""
        Invalid configuration test.yaml:
          - warehouses: at least one warehouse is required
          - schema: is required (with at least one table)
          - users: at least one user is required""");
    assertThatThrownBy(() -> parse("- a\n")).hasMessage("""
        Invalid configuration test.yaml:
          - (top level): expected a mapping, got a list""");
  }

  @Test
  void loadsFromAFile(@TempDir Path directory) throws IOException {
    Path file = Files.writeString(directory.resolve("sluice.yaml"), MINIMAL);

    assertThat(ConfigLoader.load(file, VariableResolver.none())).isEqualTo(parse(MINIMAL));
    assertThatThrownBy(() -> ConfigLoader.load(directory.resolve("missing.yaml"), VariableResolver.none()))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
        .hasMessageStartingWith("Cannot read configuration " + directory.resolve("missing.yaml"));
    Files.writeString(file, MINIMAL.replace("kind: entity", "kind: event"));
    assertThatThrownBy(() -> ConfigLoader.load(file, VariableResolver.none()))
        .hasMessageStartingWith("Invalid configuration " + file + ":\n");
  }

  @Test
  void bindsPushdownModePerWarehouse() {
    assertThat(parse(MINIMAL).warehouse("dw").orElseThrow().pushdown()).isEqualTo(PushdownMode.FEDERATED);
    GatewayConfig strict = parse(MINIMAL.replace("    dialect: duckdb\n", "    dialect: duckdb\n    pushdown: strict\n"));
    assertThat(strict.warehouse("dw").orElseThrow().pushdown()).isEqualTo(PushdownMode.STRICT);
    assertThatThrownBy(() -> parse(MINIMAL.replace("    dialect: duckdb\n", "    dialect: duckdb\n    pushdown: always\n")))
        .hasMessageContaining("warehouses.dw.pushdown: must be one of strict, federated, not 'always'");
  }

  private static GatewayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.none());
  }
}
