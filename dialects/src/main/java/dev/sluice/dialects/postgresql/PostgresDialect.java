package dev.sluice.dialects.postgresql;

import dev.sluice.dialects.DecimalQuotients;
import dev.sluice.dialects.MaskFunctions;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The SQL dialect Sluice renders pushdown SQL in for PostgreSQL warehouses: Calcite's {@link
 * PostgresqlSqlDialect} plus the mask functions.
 */
public final class PostgresDialect extends PostgresqlSqlDialect {
  public static final PostgresDialect INSTANCE = new PostgresDialect();

  // Rendering-only operators: PostgreSQL's own functions, never offered to client SQL.
  private static final SqlFunction ENCODE =
      SqlBasicFunction.create("ENCODE", ReturnTypes.VARCHAR, OperandTypes.ANY_ANY);
  private static final SqlFunction SHA256 =
      SqlBasicFunction.create("SHA256", ReturnTypes.VARCHAR, OperandTypes.ANY);
  private static final SqlFunction CONVERT_TO =
      SqlBasicFunction.create("CONVERT_TO", ReturnTypes.VARCHAR, OperandTypes.ANY_ANY);

  private static final SqlFunction TO_NUMERIC = new NumericCast();

  private static final RexBuilder REX_BUILDER =
      new RexBuilder(new SqlTypeFactoryImpl(POSTGRESQL_TYPE_SYSTEM));

  private PostgresDialect() {
    super(DEFAULT_CONTEXT);
  }

  /** Rewrites, before unparsing, the calls whose PostgreSQL form depends on operand types. */
  @Override
  public RexNode prepareUnparse(RexNode rex) {
    if (rex instanceof RexCall call) {
      if (call.getKind() == SqlKind.FLOOR
          && call.getOperands().size() == 2
          && call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.DATE) {
        return floorDate(call);
      }
      if (call.getOperator() == SqlStdOperatorTable.ROUND
          && call.getOperands().get(0).getType().getSqlTypeName() != SqlTypeName.DECIMAL) {
        return roundAsNumeric(call);
      }
    }
    // NUMERIC division keeps more digits than Calcite's DECIMAL type: see DecimalQuotients.
    return DecimalQuotients.pinned(rex);
  }

  // date_trunc has no DATE form: a date becomes a timestamptz (and the result one, shifted by the
  // session time zone), so truncate it as a timestamp without time zone and cast back.
  private static RexNode floorDate(RexCall call) {
    RexNode date = call.getOperands().get(0);
    RelDataTypeFactory types = REX_BUILDER.getTypeFactory();
    RelDataType timestamp =
        types.createTypeWithNullability(
            types.createSqlType(SqlTypeName.TIMESTAMP, 0), date.getType().isNullable());
    RexNode floor =
        REX_BUILDER.makeCall(
            timestamp,
            call.getOperator(),
            List.of(REX_BUILDER.makeCast(timestamp, date), call.getOperands().get(1)));
    return REX_BUILDER.makeCall(call.getType(), SqlStdOperatorTable.CAST, List.of(floor));
  }

  // round(x, n) exists only for NUMERIC (no double precision form; integers are promoted and come
  // back as NUMERIC): round the exact value and cast back to the type Calcite derived.
  private static RexNode roundAsNumeric(RexCall call) {
    List<RexNode> operands = new ArrayList<>(call.getOperands());
    operands.set(
        0,
        REX_BUILDER.makeCall(
            REX_BUILDER.getTypeFactory().createSqlType(SqlTypeName.DECIMAL),
            TO_NUMERIC,
            List.of(operands.get(0))));
    RexNode round = REX_BUILDER.makeCall(call.getType(), call.getOperator(), operands);
    return REX_BUILDER.makeCall(call.getType(), SqlStdOperatorTable.CAST, List.of(round));
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (MaskFunctions.unparseMasked(writer, call)) {
      return;
    }
    if (MaskFunctions.isSha256Hex(call)) {
      // sha256() hashes bytea, not text: take the text's UTF-8 bytes whatever the database
      // encoding is, and hex-encode the digest (encode's 'hex' is lower-case).
      SqlParserPos pos = call.getParserPosition();
      SqlCall bytes =
          CONVERT_TO.createCall(pos, call.operand(0), SqlLiteral.createCharString("UTF8", pos));
      SqlCall hex =
          ENCODE.createCall(
              pos, SHA256.createCall(pos, bytes), SqlLiteral.createCharString("hex", pos));
      hex.unparse(writer, leftPrec, rightPrec);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  /** {@code CAST(x AS NUMERIC)}: PostgreSQL's unconstrained NUMERIC, which Calcite cannot spell. */
  private static final class NumericCast extends SqlFunction {
    NumericCast() {
      super(
          "NUMERIC",
          SqlKind.OTHER_FUNCTION,
          ReturnTypes.explicit(SqlTypeName.DECIMAL),
          null,
          OperandTypes.ANY,
          SqlFunctionCategory.NUMERIC);
    }

    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
      SqlWriter.Frame frame = writer.startFunCall("CAST");
      call.operand(0).unparse(writer, 0, 0);
      writer.sep("AS");
      writer.keyword("NUMERIC");
      writer.endFunCall(frame);
    }
  }
}
