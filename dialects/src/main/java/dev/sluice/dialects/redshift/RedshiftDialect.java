package dev.sluice.dialects.redshift;

import dev.sluice.dialects.DecimalQuotients;
import dev.sluice.dialects.MaskFunctions;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.RedshiftSqlDialect;
import org.apache.calcite.sql.fun.SqlFloorFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL dialect Sluice renders pushdown SQL in for Amazon Redshift warehouses: Calcite's {@link
 * RedshiftSqlDialect} (LIMIT/OFFSET, float8/int2 casts, no GROUP BY literals, no aliased VALUES)
 * plus the mask functions and the quirks below.
 */
public final class RedshiftDialect extends RedshiftSqlDialect {
  public static final RedshiftDialect INSTANCE = new RedshiftDialect();

  // Rendering-only operators: Redshift's own functions, never offered to client SQL.
  private static final SqlFunction SHA2 =
      SqlBasicFunction.create("SHA2", ReturnTypes.VARCHAR, OperandTypes.ANY_ANY);
  private static final SqlFunction CONCAT =
      SqlBasicFunction.create("CONCAT", ReturnTypes.VARCHAR, OperandTypes.ANY_ANY);

  private RedshiftDialect() {
    super(DEFAULT_CONTEXT);
  }

  private static final RexBuilder REX_BUILDER =
      new RexBuilder(new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT));

  // Redshift's NUMERIC division picks its own result scale: see DecimalQuotients.
  @Override
  public RexNode prepareUnparse(RexNode rex) {
    if (rex instanceof RexCall call
        && call.getKind() == SqlKind.FLOOR
        && call.getOperands().size() == 2
        && call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.DATE) {
      return floorDate(call);
    }
    return DecimalQuotients.pinned(rex);
  }

  // DATE_TRUNC returns a timestamp even for a date: truncate the date as a timestamp and cast the
  // result back, so the column keeps the DATE type Calcite derived.
  private static RexNode floorDate(RexCall call) {
    RexNode date = call.getOperands().get(0);
    RelDataTypeFactory types = REX_BUILDER.getTypeFactory();
    RelDataType timestamp =
        types.createTypeWithNullability(
            types.createSqlType(SqlTypeName.TIMESTAMP), date.getType().isNullable());
    RexNode floor =
        REX_BUILDER.makeCall(
            timestamp,
            call.getOperator(),
            List.of(REX_BUILDER.makeCast(timestamp, date), call.getOperands().get(1)));
    return REX_BUILDER.makeCall(call.getType(), SqlStdOperatorTable.CAST, List.of(floor));
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (MaskFunctions.unparseMasked(writer, call)) {
      return;
    }
    SqlParserPos pos = call.getParserPosition();
    if (MaskFunctions.isSha256Hex(call)) {
      // SHA2(text, 256) hashes the text's UTF-8 bytes (Redshift strings are UTF-8) and returns
      // lower-case hex: exactly the function.
      SHA2.createCall(pos, call.operand(0), SqlLiteral.createExactNumeric("256", pos))
          .unparse(writer, leftPrec, rightPrec);
      return;
    }
    if (call.getKind() == SqlKind.FLOOR && call.operandCount() == 2) {
      // Redshift has no FLOOR(x TO unit); DATE_TRUNC('unit', x) is the same truncation.
      SqlNode unit = call.operand(1);
      // A parsed FLOOR carries an interval qualifier, one converted from a plan a symbol literal.
      TimeUnitRange range =
          unit instanceof SqlIntervalQualifier qualifier
              ? qualifier.timeUnitRange
              : ((SqlLiteral) unit).getValueAs(TimeUnitRange.class);
      SqlCall truncation =
          SqlFloorFunction.replaceTimeUnitOperand(call, range.name(), unit.getParserPosition());
      SqlFloorFunction.unparseDatetimeFunction(writer, truncation, "DATE_TRUNC", false);
      return;
    }
    if (isAllIntersectOrExcept(call)) {
      // Redshift rejects INTERSECT ALL and EXCEPT ALL; dropping ALL would change the answer.
      throw new UnsupportedOperationException(
          "Amazon Redshift does not support " + call.getOperator().getName().toUpperCase(Locale.ROOT)
              + "; the query cannot be pushed down to a Redshift warehouse");
    }
    if (isVariadicConcat(call)) {
      // Redshift's CONCAT takes exactly two arguments: nest them (NULL in, NULL out, as CONCAT).
      nestedConcat(call.getOperandList(), pos).unparse(writer, leftPrec, rightPrec);
      return;
    }
    if (call.getKind() == SqlKind.CONCAT_WITH_NULL) {
      // PostgreSQL-style CONCAT skips NULLs; Redshift's CONCAT returns NULL instead.
      throw new UnsupportedOperationException(
          "Amazon Redshift has no NULL-ignoring CONCAT; the query cannot be pushed down to a"
              + " Redshift warehouse");
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  static boolean isAllIntersectOrExcept(SqlCall call) {
    return call.getOperator() instanceof SqlSetOperator setOperator
        && setOperator.isAll()
        && (call.getKind() == SqlKind.INTERSECT || call.getKind() == SqlKind.EXCEPT);
  }

  private static boolean isVariadicConcat(SqlCall call) {
    return call.getKind() == SqlKind.OTHER_FUNCTION
        && call.getOperator().getName().equalsIgnoreCase("CONCAT")
        && call.operandCount() > 2;
  }

  private static SqlNode nestedConcat(List<SqlNode> operands, SqlParserPos pos) {
    SqlNode result = operands.get(0);
    for (SqlNode operand : operands.subList(1, operands.size())) {
      result = CONCAT.createCall(pos, result, operand);
    }
    return result;
  }
}
