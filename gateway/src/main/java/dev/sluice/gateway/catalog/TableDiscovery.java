package dev.sluice.gateway.catalog;

import org.apache.calcite.sql.SqlDialect;

/** How the catalog learns the columns of a warehouse's physical tables. */
enum TableDiscovery {
  /** Calcite's JdbcSchema reading the driver's DatabaseMetaData. */
  DATABASE_METADATA,
  /**
   * Only the mapped tables, each described by the result-set metadata of an empty SELECT (see
   * {@link EmptySelectDescriber}). For drivers whose DatabaseMetaData runs queries on the vendor's
   * own system views, which Redshift-compatible servers (and PostgreSQL in our tests) reject.
   */
  EMPTY_SELECT;

  static TableDiscovery of(SqlDialect dialect) {
    return dialect.getDatabaseProduct() == SqlDialect.DatabaseProduct.REDSHIFT
        ? EMPTY_SELECT
        : DATABASE_METADATA;
  }
}
