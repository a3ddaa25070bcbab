package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.Warehouse;
import dev.sluice.dialects.duckdb.DuckDbConnectionSettings;
import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.HttpListenerConfig;
import dev.sluice.gateway.config.ListenersConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.ReferenceDatabase;
import dev.sluice.gateway.testing.TestingGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

/**
 * The demo as demo-postgres.yaml configures it, {@code dw} on a real PostgreSQL (the same rows, copied from the
 * DuckDB demo file) while {@code lake} stays on DuckDB: every corpus query, cross-engine joins
 * included, answers as DuckDB does over the virtual views, with {@code dialect: postgresql}
 * through pgjdbc.
 * {@link RedshiftWarehouseDifferentialTest} does the same with {@code dialect: redshift}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class PostgresWarehouseDifferentialTest {
  private static final List<String> TABLES = List.of("households", "transactions", "skus");

  private EmbeddedPostgres postgres;
  private ReferenceDatabase reference;
  private GatewayServer postgresGateway;

  @BeforeAll
  void start(@TempDir Path directory) throws Exception {
    DemoDataGenerator demo =
        new DemoDataGenerator(TestingGateway.demoDirectory(), TestingGateway.CUSTOMERS, TestingGateway.SEED);
    postgres = TestingPostgres.start();
    copyDw(postgres, demo.dwFile(), directory);
    reference = ReferenceDatabase.open(demo.dwFile(), demo.lakeFile());
    postgresGateway = start("postgresql", postgres.getPort());
  }

  @AfterAll
  void stop() throws Exception {
    try (EmbeddedPostgres closePostgres = postgres) {
      if (postgresGateway != null) {
        postgresGateway.close();
      }
      reference.close();
    }
  }

  /** The checked-in demo-postgres.yaml, pointed at the embedded server, on a free port. */
  private GatewayServer start(String dialect, int port) throws IOException {
    String yaml;
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/dev/sluice/gateway/demo/demo-postgres.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    yaml = yaml.replace("port: 5432 ", "port: " + port + " ").replace("dialect: postgresql", "dialect: " + dialect);
    GatewayConfig config = TestingGateway.withTemporaryAudit(ConfigLoader.parse(yaml, "demo-postgres.yaml", VariableResolver.of(Map.of(
            "SLUICE_DATA_DIR", TestingGateway.demoDirectory().toString(),
            "PG_HOST", "127.0.0.1",
            "PG_DATABASE", "postgres",
            "PG_USER", "postgres",
            // The embedded server trusts local connections: the password is not checked.
            "PG_PASSWORD", "unused")))
        .withListeners(new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0))));
    assertThat(config.warehouse("dw").orElseThrow().dialect()).isEqualTo(dialect);
    GatewayServer server = new GatewayServer(config);
    server.start();
    return server;
  }

  /** Copies dw's tables into PostgreSQL through CSV: DuckDB writes it, COPY reads it. */
  public static void copyDw(EmbeddedPostgres postgres, Path dwFile, Path directory) throws Exception {
    try (Warehouse duckDb = new DuckDbConnectionSettings(dwFile, true, 1).open("dw-copy");
        Connection source = duckDb.dataSource().getConnection();
        Connection target = postgres.getPostgresDatabase().getConnection();
        Statement targetStatement = target.createStatement()) {
      targetStatement.execute("CREATE SCHEMA retail");
      for (String table : TABLES) {
        targetStatement.execute("CREATE TABLE retail." + table + " (" + columns(source, table) + ")");
        Path csv = directory.resolve(table + ".csv");
        try (Statement statement = source.createStatement()) {
          statement.execute("COPY retail." + table + " TO '" + csv + "' (FORMAT csv, HEADER false)");
        }
        try (Reader reader = Files.newBufferedReader(csv)) {
          target.unwrap(PGConnection.class).getCopyAPI()
              .copyIn("COPY retail." + table + " FROM STDIN (FORMAT csv)", reader);
        }
      }
      targetStatement.execute("ANALYZE");
    }
  }

  private static String columns(Connection duckDb, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement statement = duckDb.prepareStatement(
        "SELECT column_name, data_type FROM information_schema.columns"
            + " WHERE table_schema = 'retail' AND table_name = ? ORDER BY ordinal_position")) {
      statement.setString(1, table);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(2);
          // PostgreSQL spells DuckDB's DOUBLE as DOUBLE PRECISION; the other demo types match.
          columns.add(rs.getString(1) + " " + (type.equals("DOUBLE") ? "DOUBLE PRECISION" : type));
        }
      }
    }
    return String.join(", ", columns);
  }

  Stream<Arguments> queries() {
    return Corpus.load().stream()
        .map(q -> Arguments.of(q, "postgresql"));
  }

  @ParameterizedTest(name = "{0} with dw as {1}")
  @MethodSource("queries")
  void answersLikeDuckDb(Corpus.Query query, String dialect) throws SQLException {
    GatewayServer server = postgresGateway;
    List<List<Object>> expected =
        CorpusDifferentialTest.normalize(reference.query(query.sql(), query.paramArray()));
    List<List<Object>> actual = CorpusDifferentialTest.normalize(viaGateway(server, query));
    if (CorpusDifferentialTest.isOrdered(query.sql())) {
      assertThat(actual).as(query.name()).containsExactlyElementsOf(expected);
    } else {
      assertThat(CorpusDifferentialTest.sorted(actual)).as(query.name())
          .containsExactlyElementsOf(CorpusDifferentialTest.sorted(expected));
    }
  }

  Stream<String> anaQueries() {
    return dev.sluice.gateway.governance.MinimumGroupSizeTest.anaQueries();
  }

  /** The aggregation-only analyst's floor runs in this warehouse's dialect and answers as on DuckDB. */
  @ParameterizedTest(name = "{0} as ana")
  @MethodSource("anaQueries")
  void answersLikeTheDuckDbGatewayAsAna(String sql) throws SQLException {
    dev.sluice.gateway.governance.MinimumGroupSizeTest.assertAnaAnswersLikeTheDuckDbGateway(postgresGateway, sql);
  }


  static List<List<Object>> viaGateway(GatewayServer server, Corpus.Query query) throws SQLException {
    return viaGateway(server, query, "admin");
  }

  static List<List<Object>> viaGateway(GatewayServer server, Corpus.Query query, String user)
      throws SQLException {
    return TestingGateway.rows(server, "protobuf", user, query.sql(), query.paramArray());
  }
}
