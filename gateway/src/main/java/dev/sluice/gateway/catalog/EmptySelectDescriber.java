package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.apache.calcite.adapter.jdbc.DescribedJdbcSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeImpl;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Describes a physical table from the result-set metadata of {@code SELECT * FROM t WHERE 1 = 0}:
 * plain SQL every warehouse answers without scanning, unlike driver metadata that may query
 * vendor-only system views. Types follow Calcite's own JDBC metadata mapping.
 */
final class EmptySelectDescriber implements DescribedJdbcSchema.Describer {
  private final DataSource dataSource;
  private final SqlDialect dialect;

  EmptySelectDescriber(DataSource dataSource, SqlDialect dialect) {
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  static String emptySelect(SqlDialect dialect, String schema, String table) {
    return "SELECT * FROM " + dialect.quoteIdentifier(schema) + "." + dialect.quoteIdentifier(table)
        + " WHERE 1 = 0";
  }

  @Override
  public RelProtoDataType describe(String schema, String table) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(emptySelect(dialect, schema, table))) {
      ResultSetMetaData metaData = result.getMetaData();
      // A throwaway factory: a proto-type is copied into the planner's factory before use.
      RelDataTypeFactory typeFactory = new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT);
      RelDataTypeFactory.Builder fields = typeFactory.builder();
      for (int i = 1; i <= metaData.getColumnCount(); i++) {
        fields
            .add(metaData.getColumnName(i), columnType(typeFactory, metaData, i))
            .nullable(metaData.isNullable(i) != ResultSetMetaData.columnNoNulls);
      }
      return RelDataTypeImpl.proto(fields.build());
    }
  }

  private static RelDataType columnType(
      RelDataTypeFactory typeFactory, ResultSetMetaData metaData, int column) throws SQLException {
    SqlTypeName name = SqlTypeName.getNameForJdbcType(metaData.getColumnType(column));
    if (name == null || name == SqlTypeName.ARRAY) {
      return typeFactory.createSqlType(SqlTypeName.ANY);
    }
    int precision;
    int scale;
    switch (name) {
      case TIMESTAMP, TIME -> {
        // As in Calcite's metadata path: a time's precision is its fractional-second digits.
        precision = metaData.getScale(column);
        scale = 0;
      }
      default -> {
        precision = metaData.getPrecision(column);
        scale = metaData.getScale(column);
      }
    }
    if (name == SqlTypeName.DECIMAL) {
      // Unconstrained NUMERIC reports precision 0, which Calcite rejects.
      int p = precision > 0 ? precision : typeFactory.getTypeSystem().getDefaultPrecision(name);
      return typeFactory.createSqlType(name, p, Math.max(scale, 0));
    }
    if (precision > 0 && name.allowsPrecScale(true, true)) {
      return typeFactory.createSqlType(name, precision, Math.max(scale, 0));
    }
    if (precision > 0 && name.allowsPrecNoScale()) {
      return typeFactory.createSqlType(name, precision);
    }
    return typeFactory.createSqlType(name);
  }
}
