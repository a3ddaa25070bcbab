package org.apache.calcite.adapter.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.lookup.IgnoreCaseLookup;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.sql.SqlDialect;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A JDBC schema that exposes a known list of tables and asks {@link Describer} for their row types
 * instead of reading DatabaseMetaData, for drivers whose metadata queries the server may reject.
 * The tables are ordinary {@link JdbcTable}s, so they scan as JdbcTableScan in the schema's
 * convention and pushdown is unchanged.
 *
 * <p>It lives in Calcite's package only because JdbcTable's constructor and JdbcSchema's row-type
 * hook are package-private; keep it to that bridge and put the describing elsewhere.
 */
public class DescribedJdbcSchema extends JdbcSchema {
  /** The row type of one physical table. */
  @FunctionalInterface
  public interface Describer {
    RelProtoDataType describe(String schema, String table) throws SQLException;
  }

  private final Map<String, JdbcTable> tables = new LinkedHashMap<>();
  private final Describer describer;

  public DescribedJdbcSchema(
      DataSource dataSource,
      SqlDialect dialect,
      JdbcConvention convention,
      String schema,
      Collection<String> tableNames,
      Describer describer) {
    super(dataSource, dialect, convention, null, requireNonNull(schema, "schema is null"));
    this.describer = requireNonNull(describer, "describer is null");
    for (String name : tableNames) {
      tables.put(name, new JdbcTable(this, null, schema, name, Schema.TableType.TABLE));
    }
  }

  @Override
  public Lookup<Table> tables() {
    return new IgnoreCaseLookup<>() {
      @Override
      public @Nullable Table get(String name) {
        return tables.get(name);
      }

      @Override
      public Set<String> getNames(LikePattern pattern) {
        return tables.keySet().stream()
            .filter(name -> pattern.matcher().apply(name))
            .collect(Collectors.toSet());
      }
    };
  }

  // Called lazily by JdbcTable for its row type; overrides the DatabaseMetaData lookup.
  @Override
  RelProtoDataType getRelDataType(String catalogName, String schemaName, String tableName)
      throws SQLException {
    return describer.describe(schemaName, tableName);
  }
}
