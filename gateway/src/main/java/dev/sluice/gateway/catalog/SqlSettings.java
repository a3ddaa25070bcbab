package dev.sluice.gateway.catalog;

import java.util.Properties;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.SqlOperatorTable;
import dev.sluice.dialects.MaskFunctions;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * How Sluice reads SQL: standard double-quoted identifiers, names matched case-insensitively (BI
 * tools quote and upper-case freely), and a curated function library (standard SQL only) so that
 * warehouse-specific functions such as {@code read_csv} cannot even be named.
 */
public final class SqlSettings {
  /**
   * Calcite's default type system, except that CASE branches and set-operation columns of string
   * literals of different lengths become VARCHAR rather than blank-padded CHAR ('vip' must not come
   * back as 'vip       '), and that times and timestamps go down to microseconds.
   */
  public static final RelDataTypeSystem TYPE_SYSTEM =
      new RelDataTypeSystemImpl() {
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
          return true;
        }

        // Microseconds, as the warehouses store them: timestamp and time literals in client SQL
        // keep all six fractional digits (Calcite's default stops at milliseconds).
        @Override
        public int getMaxPrecision(org.apache.calcite.sql.type.SqlTypeName typeName) {
          return switch (typeName) {
            case TIME, TIME_WITH_LOCAL_TIME_ZONE, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> MICROSECONDS;
            default -> super.getMaxPrecision(typeName);
          };
        }
      };

  private static final int MICROSECONDS = 6;

  public static final SqlParser.Config PARSER =
      SqlParser.config()
          .withQuoting(Quoting.DOUBLE_QUOTE)
          .withUnquotedCasing(Casing.UNCHANGED)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(false)
          .withConformance(SqlConformanceEnum.LENIENT);

  public static final CalciteConnectionConfig CONNECTION = connectionConfig();

  /** Standard SQL plus the mask functions, which every dialect renders natively. */
  public static final SqlOperatorTable OPERATORS =
      SqlOperatorTables.chain(SqlStdOperatorTable.instance(), MaskFunctions.OPERATORS);

  public static final SqlValidator.Config VALIDATOR =
      SqlValidator.Config.DEFAULT
          .withIdentifierExpansion(true)
          .withConformance(SqlConformanceEnum.LENIENT);

  private SqlSettings() {}

  private static CalciteConnectionConfig connectionConfig() {
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    properties.setProperty(CalciteConnectionProperty.TIME_ZONE.camelName(), "UTC");
    return new CalciteConnectionConfigImpl(properties);
  }
}
