package dev.sluice.dialects.databricks;

import dev.sluice.dialects.DecimalQuotients;
import dev.sluice.dialects.MaskFunctions;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.SparkSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * The SQL dialect Sluice renders pushdown SQL in for Databricks SQL warehouses: Calcite's {@link
 * SparkSqlDialect} plus the quirks below. {@code SparkConformanceTest} runs every form on Spark SQL
 * and compares the rows with DuckDB's.
 *
 * <p>Already right in {@link SparkSqlDialect}, and executed by the conformance test: identifiers in
 * backticks; {@code EXTRACT(YEAR FROM x)} (Spark has the standard form); {@code DATE '...'} and
 * {@code TIMESTAMP '...'} literals; {@code TRUE}/{@code FALSE} and {@code IS [NOT] TRUE};
 * {@code LIMIT n OFFSET m} (Spark 3.4 and later, so every current Databricks runtime); {@code
 * INTERSECT} and {@code EXCEPT} with their {@code ALL} forms; {@code FLOOR(x TO YEAR)} as {@code
 * DATE_TRUNC('YEAR', x)}; {@code CAST(x AS VARCHAR)} as {@code CAST(x AS STRING)} (Spark's VARCHAR
 * is a length-checked type, STRING is the plain one); NULLs sorting first ascending, so the
 * converter adds {@code NULLS LAST} where Calcite's order differs; {@code DECIMAL(p, s)} casts (up
 * to precision 38, as in Calcite's default type system).
 *
 * <p>Semantics that depend on the session: Databricks SQL warehouses run with ANSI mode on (an
 * overflowing cast or a division by zero is an error, as in Calcite), and timestamps are {@code
 * TIMESTAMP_LTZ}, so the session time zone is set to UTC (see {@link
 * DatabricksConnectionSettings#SESSION_SETUP}).
 */
public final class DatabricksDialect extends SparkSqlDialect {
  public static final DatabricksDialect INSTANCE = new DatabricksDialect();

  // Rendering-only operators: Spark's own functions, never offered to client SQL.
  private static final SqlFunction SHA2 =
      SqlBasicFunction.create("sha2", ReturnTypes.VARCHAR, OperandTypes.ANY_ANY);
  private static final SqlFunction ROUND_HALF_EVEN =
      SqlBasicFunction.create("bround", ReturnTypes.ARG0, OperandTypes.ANY_ANY);
  private static final SqlBinaryOperator INTEGER_DIVIDE =
      new SqlBinaryOperator(
          "div", SqlKind.OTHER, 60, true, ReturnTypes.BIGINT, InferTypes.FIRST_KNOWN,
          OperandTypes.ANY_ANY);

  private static final RexBuilder REX_BUILDER =
      new RexBuilder(new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT));

  private DatabricksDialect() {
    super(DEFAULT_CONTEXT);
  }

  @Override
  public RexNode prepareUnparse(RexNode rex) {
    if (rex instanceof RexCall call) {
      if (call.getKind() == SqlKind.DIVIDE && SqlTypeUtil.isIntType(call.getType())) {
        return integerDivision(call);
      }
      if (call.getKind() == SqlKind.FLOOR
          && call.getOperands().size() == 2
          && call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.DATE) {
        return floorDate(call);
      }
      if (call.getKind() == SqlKind.CAST
          && SqlTypeUtil.isIntType(call.getType())
          && isFractional(call.getOperands().get(0))) {
        return roundedCast(call);
      }
    }
    // Spark divides DECIMALs with its own result scale: see DecimalQuotients.
    return DecimalQuotients.pinned(rex);
  }

  // Calcite's "/" on integers truncates toward zero (7 / 2 = 3, -7 / 2 = -3); Spark's "/" always
  // gives a fraction (3.5). Spark's "div" truncates toward zero like Java, but returns BIGINT, so
  // it is cast back to the type Calcite derived (INTEGER / INTEGER is INTEGER).
  private static RexNode integerDivision(RexCall call) {
    RexNode quotient =
        REX_BUILDER.makeCall(
            REX_BUILDER.getTypeFactory().createTypeWithNullability(
                REX_BUILDER.getTypeFactory().createSqlType(SqlTypeName.BIGINT),
                call.getType().isNullable()),
            INTEGER_DIVIDE,
            call.getOperands());
    if (call.getType().getSqlTypeName() == SqlTypeName.BIGINT) {
      return quotient;
    }
    return REX_BUILDER.makeCall(call.getType(), SqlStdOperatorTable.CAST, List.of(quotient));
  }

  // DATE_TRUNC always returns a TIMESTAMP, also for a DATE, and Calcite drops the CAST(... AS DATE)
  // around FLOOR(date TO YEAR) as redundant: truncate the date as a timestamp (midnight UTC, the
  // session zone) and cast the result back to the DATE Calcite derived.
  private static RexNode floorDate(RexCall call) {
    RexNode date = call.getOperands().get(0);
    RelDataType timestamp =
        REX_BUILDER.getTypeFactory().createTypeWithNullability(
            REX_BUILDER.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP),
            date.getType().isNullable());
    RexNode floor =
        REX_BUILDER.makeCall(
            timestamp,
            call.getOperator(),
            List.of(REX_BUILDER.makeCast(timestamp, date), call.getOperands().get(1)));
    return REX_BUILDER.makeCall(call.getType(), SqlStdOperatorTable.CAST, List.of(floor));
  }

  private static boolean isFractional(RexNode operand) {
    SqlTypeName type = operand.getType().getSqlTypeName();
    return (type == SqlTypeName.DECIMAL && operand.getType().getScale() > 0)
        || SqlTypeUtil.isApproximateNumeric(operand.getType());
  }

  // Spark truncates a fraction cast to an integer (1200.50 becomes 1200, -2.5 becomes -2); DuckDB
  // and PostgreSQL round a DECIMAL half away from zero (1201) and a DOUBLE half to even (0.5 is 0,
  // -2.5 is -2). Rounding first the same way (Spark's ROUND is half up, BROUND half even) gives the
  // same integer on every warehouse.
  private static RexNode roundedCast(RexCall call) {
    RexNode operand = call.getOperands().get(0);
    RexNode rounded =
        REX_BUILDER.makeCall(
            operand.getType(),
            SqlTypeUtil.isApproximateNumeric(operand.getType())
                ? ROUND_HALF_EVEN
                : SqlStdOperatorTable.ROUND,
            List.of(operand, REX_BUILDER.makeExactLiteral(java.math.BigDecimal.ZERO)));
    return REX_BUILDER.makeCall(call.getType(), SqlStdOperatorTable.CAST, List.of(rounded));
  }

  // Spark string literals are not standard: a backslash escapes the next character, and
  // 'it''s' is two adjacent literals that Spark concatenates into "its". Escaping both quote and
  // backslash with a backslash gives back exactly the value. There are no charset introducers
  // (_UTF8'...') or U&'...' literals; Spark strings are UTF-8, so every character is written as is.
  @Override
  public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    buf.append('\'');
    buf.append(val.replace("\\", "\\\\").replace("'", "\\'"));
    buf.append('\'');
  }

  @Override
  public void quoteStringLiteralUnicode(StringBuilder buf, String val) {
    quoteStringLiteral(buf, null, val);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (MaskFunctions.unparseMasked(writer, call)) {
      return;
    }
    if (MaskFunctions.isSha256Hex(call)) {
      // sha2 hashes a string's UTF-8 bytes (Spark casts STRING to BINARY as UTF-8) and returns
      // lower-case hex.
      SHA2.createCall(
              call.getParserPosition(),
              call.operand(0),
              SqlLiteral.createExactNumeric("256", call.getParserPosition()))
          .unparse(writer, leftPrec, rightPrec);
      return;
    }
    if (call.getKind() == SqlKind.LIKE && call.operandCount() == 2) {
      unparseLikeWithoutEscape(writer, call, leftPrec, rightPrec);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  // Without ESCAPE, a backslash in a standard LIKE pattern is an ordinary character; in Spark it
  // escapes the next one, whatever the query says. Doubling every backslash makes it literal again.
  private void unparseLikeWithoutEscape(
      SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    SqlParserPos pos = call.getParserPosition();
    SqlNode pattern = call.operand(1);
    SqlNode escaped =
        pattern instanceof SqlCharStringLiteral literal
            ? SqlLiteral.createCharString(
                literal.getValueAs(String.class).replace("\\", "\\\\"), pos)
            : SqlStdOperatorTable.REPLACE.createCall(
                pos,
                pattern,
                SqlLiteral.createCharString("\\", pos),
                SqlLiteral.createCharString("\\\\", pos));
    super.unparseCall(
        writer, call.getOperator().createCall(pos, call.operand(0), escaped), leftPrec, rightPrec);
  }
}
