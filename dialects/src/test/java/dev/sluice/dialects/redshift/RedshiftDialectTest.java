package dev.sluice.dialects.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;

class RedshiftDialectTest {
  private static String render(String sql) throws SqlParseException {
    return SqlParser.create(sql).parseQuery().toSqlString(RedshiftDialect.INSTANCE).getSql();
  }

  @Test
  void masksRenderAsSha2AndPlainParentheses() throws Exception {
    assertThat(render("SELECT SLUICE_SHA256_HEX(LOWER(e)), SLUICE_MASKED(a) FROM t"))
        .isEqualTo("SELECT SHA2(LOWER(\"E\"), 256), (\"A\")\nFROM \"T\"");
  }

  @Test
  void concatOfMoreThanTwoArgumentsIsNested() throws Exception {
    assertThat(render("SELECT CONCAT(a, b, c) FROM t"))
        .isEqualTo("SELECT CONCAT(CONCAT(\"A\", \"B\"), \"C\")\nFROM \"T\"");
    assertThat(render("SELECT a || b || c FROM t")).contains("\"A\" || \"B\" || \"C\"");
  }

  @Test
  void floorToAUnitRendersAsDateTrunc() throws Exception {
    assertThat(render("SELECT FLOOR(d TO YEAR) FROM t"))
        .contains("DATE_TRUNC('YEAR', \"D\")")
        .doesNotContain("FLOOR");
  }

  @Test
  void intersectAllAndExceptAllAreRefused() {
    assertThatThrownBy(() -> render("SELECT a FROM t INTERSECT ALL SELECT a FROM u"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("INTERSECT ALL");
    assertThatThrownBy(() -> render("SELECT a FROM t EXCEPT ALL SELECT a FROM u"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("EXCEPT ALL");
  }

  @Test
  void distinctSetOperationsAndLimitOffsetPass() throws Exception {
    assertThat(render("SELECT a FROM t INTERSECT SELECT a FROM u")).contains("INTERSECT");
    assertThat(render("SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY"))
        .contains("LIMIT 10").contains("OFFSET 5");
  }
}
