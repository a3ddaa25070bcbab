package dev.sluice.dialects.duckdb;

import dev.sluice.dialects.DecimalQuotients;
import dev.sluice.dialects.MaskFunctions;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;

/**
 * The SQL dialect Sluice renders pushdown SQL in for DuckDB warehouses.
 *
 * <p>Calcite's {@link DuckDBSqlDialect} already renders everything the audience corpus needs
 * (EXTRACT, SUBSTRING ... FROM, POSITION ... IN, set operations, OFFSET/FETCH, typed literals,
 * DECIMAL casts); {@code DuckDbDialectTest} runs each form on DuckDB. Only the quirks below differ.
 *
 * <p>Semantics that are not syntax live in the session set-up instead: DuckDB's {@code /} divides
 * integers into a DOUBLE unless {@code integer_division} is on (see {@link
 * DuckDbConnectionSettings#SESSION_SETUP}).
 */
public final class DuckDbDialect extends DuckDBSqlDialect {
  public static final DuckDbDialect INSTANCE = new DuckDbDialect();

  // Rendering-only operator: DuckDB's own function, never offered to client SQL.
  private static final SqlFunction SHA256 =
      SqlBasicFunction.create("SHA256", ReturnTypes.VARCHAR, OperandTypes.ANY);

  private DuckDbDialect() {
    super(DEFAULT_CONTEXT);
  }

  // DuckDB's parser rejects "VARCHAR CHARACTER SET ..." in casts; all its strings are UTF-8.
  @Override
  public boolean supportsCharSet() {
    return false;
  }

  // DuckDB has no "_charset'...'" introducers (it reads "_UTF8" as a type name); strings are
  // UTF-8, so the literal is written as it is whatever charset Calcite attached to it.
  @Override
  public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    super.quoteStringLiteral(buf, null, val);
  }

  // DuckDB divides DECIMALs in DOUBLE: see DecimalQuotients.
  @Override
  public RexNode prepareUnparse(RexNode rex) {
    return DecimalQuotients.pinned(rex);
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    if (MaskFunctions.unparseMasked(writer, call)) {
      return;
    }
    if (MaskFunctions.isSha256Hex(call)) {
      // DuckDB strings are UTF-8 and its sha256() returns lower-case hex: exactly the function.
      SHA256.createCall(call.getParserPosition(), call.getOperandList())
          .unparse(writer, leftPrec, rightPrec);
      return;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }
}
