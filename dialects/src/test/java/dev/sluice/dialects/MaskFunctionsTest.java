package dev.sluice.dialects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.dialects.duckdb.DuckDbDialect;
import dev.sluice.dialects.postgresql.PostgresDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.RelRunners;
import org.junit.jupiter.api.Test;

/** The mask functions: their types, Calcite running them in-process, and their rendering. */
class MaskFunctionsTest {
  // printf 'zo\xc3\xab' | sha256sum: the UTF-8 bytes, not ISO-8859-1 or UTF-16.
  private static final String ZOE = "2752b88686847fa5c86f47b94ce652b7b3f22a91c37617d451a4db9afa431450";

  private static final FrameworkConfig CONFIG =
      Frameworks.newConfigBuilder()
          .defaultSchema(Frameworks.createRootSchema(true))
          .operatorTable(
              SqlOperatorTables.chain(SqlStdOperatorTable.instance(), MaskFunctions.OPERATORS))
          .build();

  @Test
  void javaImplementationIsLowerCaseHexOfUtf8() {
    assertThat(MaskFunctions.sha256Hex(""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(MaskFunctions.sha256Hex("zo\u00eb")).isEqualTo(ZOE);
  }

  @Test
  void theMaskedBarrierRendersAsItsOperandButCannotRunInTheGateway() throws Exception {
    RelNode plan = plan("SELECT SLUICE_MASKED(UPPER(x)) AS m FROM (VALUES ('a'), ('b')) AS t(x)");
    assertThatThrownBy(() -> {
          try (PreparedStatement statement = RelRunners.run(plan);
              ResultSet resultSet = statement.executeQuery()) {
            resultSet.next();
          }
        })
        .isNotNull();
    org.apache.calcite.sql.SqlNode parsed =
        org.apache.calcite.sql.parser.SqlParser.create("SELECT SLUICE_MASKED(UPPER(x)) FROM t").parseQuery();
    assertThat(parsed.toSqlString(dev.sluice.dialects.duckdb.DuckDbDialect.INSTANCE).getSql())
        .contains("(UPPER(\"X\"))")
        .doesNotContain("SLUICE_MASKED");
  }

  @Test
  void calciteCannotRunTheFunctionItselfSoMasksStayInTheWarehouse() throws Exception {
    RelNode plan =
        plan(
            "SELECT SLUICE_SHA256_HEX(LOWER(TRIM(x))) AS h FROM (VALUES ('Zo\u00eb@Example.ORG '),"
                + " ('abc'), (CAST(NULL AS VARCHAR))) AS t(x)");

    assertThatThrownBy(() -> {
          try (PreparedStatement statement = RelRunners.run(plan);
              ResultSet resultSet = statement.executeQuery()) {
            resultSet.next();
          }
        })
        .isNotNull();
  }

  @Test
  void typeIsVarcharNullableLikeItsArgument() throws Exception {
    RelDataType row =
        plan("SELECT SLUICE_SHA256_HEX('a') AS a, SLUICE_SHA256_HEX(CAST(NULL AS VARCHAR)) AS b")
            .getRowType();

    assertThat(row.getFieldList().get(0).getType().getSqlTypeName()).isEqualTo(SqlTypeName.VARCHAR);
    assertThat(row.getFieldList().get(0).getType().isNullable()).isFalse();
    assertThat(row.getFieldList().get(1).getType().isNullable()).isTrue();
  }

  @Test
  void duckDbRendersItsOwnSha256() throws Exception {
    assertThat(render(DuckDbDialect.INSTANCE))
        .isEqualTo("SELECT SHA256(LOWER(TRIM(BOTH ' ' FROM \"x\")))\nFROM \"t\"");
  }

  @Test
  void postgresHashesTheUtf8BytesAndHexEncodes() throws Exception {
    assertThat(render(PostgresDialect.INSTANCE))
        .isEqualTo(
            "SELECT ENCODE(SHA256(CONVERT_TO(LOWER(TRIM(BOTH ' ' FROM \"x\")), 'UTF8')), 'hex')\n"
                + "FROM \"t\"");
  }

  private static String render(SqlDialect dialect) throws Exception {
    SqlNode parsed =
        SqlParser.create("SELECT SLUICE_SHA256_HEX(LOWER(TRIM(\"x\"))) FROM \"t\"").parseQuery();
    return parsed.toSqlString(dialect).getSql();
  }

  private static RelNode plan(String sql) throws Exception {
    Planner planner = Frameworks.getPlanner(CONFIG);
    return planner.rel(planner.validate(planner.parse(sql))).project();
  }
}
