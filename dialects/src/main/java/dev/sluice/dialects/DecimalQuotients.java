package dev.sluice.dialects;

import java.util.List;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Pins a DECIMAL division to the DECIMAL type Calcite derived for it, on every warehouse.
 *
 * <p>Warehouses disagree on the quotient otherwise: DuckDB divides DECIMALs in DOUBLE ({@code 0.30
 * / 0.1} is 2.9999999999999996, so {@code FLOOR} of it is 2), PostgreSQL in NUMERIC with at least
 * 16 significant digits ({@code FLOOR} is 3). Cast to Calcite's type (scale 6 or more), both round
 * to the same digits, so bucket masks put a value in the same bucket everywhere.
 */
public final class DecimalQuotients {
  // The same "/" under a kind the rewrite leaves alone, so a rewritten division stays rewritten
  // when Calcite prepares its operands in turn.
  private static final SqlBinaryOperator PINNED_DIVIDE =
      new SqlBinaryOperator(
          "/", SqlKind.OTHER, 60, true, ReturnTypes.ARG0, InferTypes.FIRST_KNOWN, OperandTypes.ANY_ANY);

  private static final RexBuilder REX_BUILDER =
      new RexBuilder(new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT));

  private DecimalQuotients() {}

  /** {@code CAST(a / b AS DECIMAL(p, s))} for a DECIMAL division, anything else as it is. */
  public static RexNode pinned(RexNode rex) {
    if (rex instanceof RexCall call
        && call.getKind() == SqlKind.DIVIDE
        && call.getType().getSqlTypeName() == SqlTypeName.DECIMAL) {
      RexNode quotient = REX_BUILDER.makeCall(call.getType(), PINNED_DIVIDE, call.getOperands());
      return REX_BUILDER.makeCall(call.getType(), SqlStdOperatorTable.CAST, List.of(quotient));
    }
    return rex;
  }
}
