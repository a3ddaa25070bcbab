package dev.sluice.gateway.frontend.avatica;

import dev.sluice.gateway.engine.ResultColumn;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/** Maps Calcite types to Avatica's column and parameter descriptions (one place, shared by data and metadata). */
final class AvaticaTypes {
  private AvaticaTypes() {}

  static List<ColumnMetaData> columns(List<ResultColumn> columns) {
    List<ColumnMetaData> result = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      result.add(column(i, columns.get(i)));
    }
    return result;
  }

  static ColumnMetaData column(int ordinal, ResultColumn column) {
    RelDataType type = column.type();
    int jdbcType = jdbcType(type);
    ColumnMetaData.Rep rep = ColumnMetaData.Rep.of(SqlType.valueOf(jdbcType).internal);
    ColumnMetaData.AvaticaType avaticaType = ColumnMetaData.scalar(jdbcType, typeName(type), rep);
    return new ColumnMetaData(
        ordinal,
        false,
        type.getSqlTypeName() == SqlTypeName.VARCHAR || type.getSqlTypeName() == SqlTypeName.CHAR,
        true,
        false,
        type.isNullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
        isSigned(type),
        displaySize(type),
        column.name(),
        column.name(),
        null,
        precision(type),
        scale(type),
        null,
        null,
        avaticaType,
        true,
        false,
        false,
        className(type));
  }

  static List<AvaticaParameter> parameters(List<RelDataType> types) {
    List<AvaticaParameter> parameters = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      RelDataType type = types.get(i);
      parameters.add(
          new AvaticaParameter(
              isSigned(type),
              precision(type),
              scale(type),
              jdbcType(type),
              typeName(type),
              className(type),
              "?" + (i + 1)));
    }
    return parameters;
  }

  static int jdbcType(RelDataType type) {
    return type.getSqlTypeName().getJdbcOrdinal();
  }

  static String typeName(RelDataType type) {
    return type.getSqlTypeName().getName();
  }

  static int precision(RelDataType type) {
    int precision = type.getPrecision();
    return precision == RelDataType.PRECISION_NOT_SPECIFIED ? 0 : precision;
  }

  static int scale(RelDataType type) {
    int scale = type.getScale();
    return scale == RelDataType.SCALE_NOT_SPECIFIED ? 0 : scale;
  }

  static Integer columnSize(RelDataType type) {
    int precision = type.getPrecision();
    return precision == RelDataType.PRECISION_NOT_SPECIFIED ? null : precision;
  }

  static Integer decimalDigits(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.DECIMAL ? type.getScale() : null;
  }

  private static boolean isSigned(RelDataType type) {
    return SqlTypeName.NUMERIC_TYPES.contains(type.getSqlTypeName());
  }

  private static int displaySize(RelDataType type) {
    int precision = type.getPrecision();
    return precision <= 0 || precision > 65_536 ? 65_536 : precision;
  }

  private static String className(RelDataType type) {
    return SqlType.valueOf(jdbcType(type)).clazz.getName();
  }
}
