package dev.sluice.dialects.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.dialects.Warehouse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.calcite.adapter.jdbc.JdbcConvention;
import org.apache.calcite.adapter.jdbc.JdbcSchema;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.tree.Expressions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The PostgreSQL connector against a real (embedded) PostgreSQL through pgjdbc and HikariCP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresConnectionSettingsTest {
  private EmbeddedPostgres postgres;
  private Warehouse warehouse;

  @BeforeAll
  void start() throws Exception {
    postgres = TestingPostgres.start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA retail");
      statement.execute("CREATE TABLE retail.skus (sku_id BIGINT PRIMARY KEY, name VARCHAR, price DECIMAL(10,2))");
      statement.execute("INSERT INTO retail.skus VALUES (1, 'bread', 2.50)");
    }
    // The embedded server trusts local connections, so any password is accepted.
    warehouse =
        new PostgresConnectionSettings("127.0.0.1", postgres.getPort(), "postgres", "postgres", "unused", "disable", 2)
            .open("dw");
  }

  @AfterAll
  void close() throws Exception {
    try (EmbeddedPostgres closePostgres = postgres;
        Warehouse closeWarehouse = warehouse) {
      // Pool first, then the server.
    }
  }

  @Test
  void sessionsAreUtcReadOnlyAndNamed() throws Exception {
    try (Connection connection = warehouse.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT current_setting('TimeZone'), current_setting('default_transaction_read_only'),"
                    + " current_setting('application_name')")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).isEqualTo("UTC");
      assertThat(result.getString(2)).isEqualTo("on");
      assertThat(result.getString(3)).isEqualTo("sluice");
    }
  }

  @Test
  void writesAreRefused() throws Exception {
    try (Connection connection = warehouse.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("INSERT INTO retail.skus VALUES (2, 'milk', 1.00)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only");
    }
  }

  // The gateway's catalog discovers tables this way (VirtualCatalog).
  @Test
  void jdbcSchemaDiscoversTablesAndColumns() {
    var root = CalciteSchema.createRootSchema(false).plus();
    JdbcConvention convention =
        JdbcConvention.of(warehouse.dialect(), Expressions.constant("dw"), "dw");
    JdbcSchema schema = new JdbcSchema(warehouse.dataSource(), warehouse.dialect(), convention, null, "retail");
    root.add("retail", schema);

    // Quirk: pgjdbc's getTables with no type filter also lists indexes; harmless, because the
    // catalog looks physical tables up by name and never lists them.
    assertThat(schema.tables().getNames(org.apache.calcite.schema.lookup.LikePattern.any()))
        .contains("skus");
    var table = schema.tables().get("skus");
    assertThat(table).isNotNull();
    assertThat(table.getRowType(new org.apache.calcite.jdbc.JavaTypeFactoryImpl()).getFieldNames())
        .containsExactly("sku_id", "name", "price");
  }

  @Test
  void urlCarriesNoCredentialsAndToStringNoPassword() {
    PostgresConnectionSettings settings =
        new PostgresConnectionSettings("db.example.com", 5432, "cdp", "sluice", "s3cret", "require", 4);

    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/cdp");
    assertThat(settings.driverProperties())
        .containsEntry("user", "sluice")
        .containsEntry("password", "s3cret")
        .containsEntry("sslmode", "require")
        .containsEntry("ApplicationName", "sluice");
    assertThat(settings.toString()).doesNotContain("s3cret");
  }

  @Test
  void rejectsUnknownSslMode() {
    assertThatThrownBy(
            () -> new PostgresConnectionSettings("h", 5432, "d", "u", "p", "sometimes", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslMode");
  }
}
