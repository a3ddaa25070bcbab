package dev.sluice.dialects;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import javax.sql.DataSource;
import org.apache.calcite.sql.SqlDialect;

/**
 * One connected warehouse: its configured name, the dialect its pushdown SQL is rendered in, and
 * a pooled data source whose connections are already set up (UTC, read-only where possible).
 */
public final class Warehouse implements Closeable {
  private final String name;
  private final SqlDialect dialect;
  private final DataSource dataSource;
  private final Closeable resources;

  public Warehouse(String name, SqlDialect dialect, DataSource dataSource, Closeable resources) {
    this.name = requireNonNull(name, "name is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
    this.resources = requireNonNull(resources, "resources is null");
  }

  public String name() {
    return name;
  }

  public SqlDialect dialect() {
    return dialect;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() throws java.io.IOException {
    resources.close();
  }

  @Override
  public String toString() {
    return "Warehouse[" + name + "]";
  }
}
