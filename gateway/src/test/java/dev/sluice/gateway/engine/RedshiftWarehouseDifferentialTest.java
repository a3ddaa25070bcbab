package dev.sluice.gateway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.dialects.postgresql.TestingPostgres;
import dev.sluice.dialects.redshift.StartupParameterShim;
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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * demo-postgres.yaml with {@code dw} as {@code dialect: redshift}: the real Redshift driver, through
 * {@link StartupParameterShim}, against the demo's dw rows in PostgreSQL, while {@code lake} stays
 * on DuckDB. The catalog describes dw's tables with empty SELECTs (the driver's DatabaseMetaData
 * queries Redshift-only views), and every corpus query answers as on the all-DuckDB demo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedshiftWarehouseDifferentialTest {
  private EmbeddedPostgres postgres;
  private StartupParameterShim shim;
  private ReferenceDatabase reference;
  private GatewayServer redshiftGateway;

  @BeforeAll
  void start(@TempDir Path directory) throws Exception {
    DemoDataGenerator demo =
        new DemoDataGenerator(TestingGateway.demoDirectory(), TestingGateway.CUSTOMERS, TestingGateway.SEED);
    postgres = TestingPostgres.start();
    PostgresWarehouseDifferentialTest.copyDw(postgres, demo.dwFile(), directory);
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // Redshift's SHA2(text, bits), which masks render to, as a PostgreSQL function.
      statement.execute(
          "CREATE FUNCTION sha2(text, integer) RETURNS text IMMUTABLE LANGUAGE sql AS"
              + " $$ SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') $$");
    }
    shim = StartupParameterShim.start(new InetSocketAddress("127.0.0.1", postgres.getPort()));
    reference = ReferenceDatabase.open(demo.dwFile(), demo.lakeFile());
    redshiftGateway = start(shim.port());
  }

  @AfterAll
  void stop() throws Exception {
    try (EmbeddedPostgres closePostgres = postgres;
        StartupParameterShim closeShim = shim) {
      if (redshiftGateway != null) {
        redshiftGateway.close();
      }
      if (reference != null) {
        reference.close();
      }
    }
  }

  /** The checked-in demo-postgres.yaml with dw's block turned into a Redshift one. */
  private static GatewayServer start(int port) throws Exception {
    String yaml;
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/dev/sluice/gateway/demo/demo-postgres.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    yaml = yaml.replace("dialect: postgresql", "dialect: redshift")
        .replace("    postgresql:\n", "    redshift:\n")
        .replace("port: 5432 ", "port: " + port + " ")
        // The shim speaks plain TCP only.
        .replace("ssl_mode: prefer ", "ssl_mode: disable ");
    GatewayConfig config = TestingGateway.withTemporaryAudit(ConfigLoader.parse(yaml, "demo-postgres.yaml", VariableResolver.of(Map.of(
            "SLUICE_DATA_DIR", TestingGateway.demoDirectory().toString(),
            "PG_HOST", "127.0.0.1",
            "PG_DATABASE", "postgres",
            "PG_USER", "postgres",
            // The embedded server trusts local connections: the password is not checked.
            "PG_PASSWORD", "unused")))
        .withListeners(new ListenersConfig(new HttpListenerConfig("127.0.0.1", 0))));
    assertThat(config.warehouse("dw").orElseThrow().dialect()).isEqualTo("redshift");
    GatewayServer server = new GatewayServer(config);
    server.start();
    return server;
  }

  Stream<Corpus.Query> queries() {
    return Corpus.load().stream();
  }

  @ParameterizedTest(name = "{0} as admin")
  @MethodSource("queries")
  void answersLikeDuckDbAsAdmin(Corpus.Query query) throws SQLException {
    List<List<Object>> expected =
        CorpusDifferentialTest.normalize(reference.query(query.sql(), query.paramArray()));
    assertSameRows(query, PostgresWarehouseDifferentialTest.viaGateway(redshiftGateway, query), expected);
  }

  /** Governed (masked, row-filtered) answers equal the all-DuckDB demo gateway's for the same user. */
  @ParameterizedTest(name = "{0} as max")
  @MethodSource("queries")
  void answersLikeTheDuckDbGatewayAsMax(Corpus.Query query) throws SQLException {
    List<List<Object>> expected = CorpusDifferentialTest.normalize(
        PostgresWarehouseDifferentialTest.viaGateway(TestingGateway.shared(), query, "max"));
    assertSameRows(query, PostgresWarehouseDifferentialTest.viaGateway(redshiftGateway, query, "max"), expected);
  }

  Stream<String> anaQueries() {
    return dev.sluice.gateway.governance.MinimumGroupSizeTest.anaQueries();
  }

  /** The aggregation-only analyst's floor runs in this warehouse's dialect and answers as on DuckDB. */
  @ParameterizedTest(name = "{0} as ana")
  @MethodSource("anaQueries")
  void answersLikeTheDuckDbGatewayAsAna(String sql) throws SQLException {
    dev.sluice.gateway.governance.MinimumGroupSizeTest.assertAnaAnswersLikeTheDuckDbGateway(redshiftGateway, sql);
  }


  private static void assertSameRows(
      Corpus.Query query, List<List<Object>> rows, List<List<Object>> expected) {
    List<List<Object>> actual = CorpusDifferentialTest.normalize(rows);
    if (CorpusDifferentialTest.isOrdered(query.sql())) {
      assertThat(actual).as(query.name()).containsExactlyElementsOf(expected);
    } else {
      assertThat(CorpusDifferentialTest.sorted(actual)).as(query.name())
          .containsExactlyElementsOf(CorpusDifferentialTest.sorted(expected));
    }
  }
}
