package dev.sluice.dialects.duckdb;

import org.apache.calcite.sql.dialect.DuckDBSqlDialect;

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
}
