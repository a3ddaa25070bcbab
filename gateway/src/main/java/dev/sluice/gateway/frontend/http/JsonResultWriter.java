package dev.sluice.gateway.frontend.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.sluice.gateway.engine.ResultColumn;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The JSON format, written as the rows arrive: {@code {"columns": [{"name", "type", "nullable"}],
 * "rows": [[...], ...], "row_count": n}}. Values are written as {@link TextColumn} says.
 */
final class JsonResultWriter implements ResultWriter {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          // The output belongs to the route, which decides whether the answer is complete.
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          // 1E+3 is a valid JSON number but not what a DECIMAL(12,2) of 1000.00 should read as.
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private final List<ResultColumn> columns;
  private final JsonGenerator json;
  private long rowCount;

  JsonResultWriter(List<ResultColumn> columns, OutputStream out) throws IOException {
    this.columns = List.copyOf(columns);
    this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
  }

  @Override
  public void start() throws IOException {
    json.writeStartObject();
    json.writeArrayFieldStart("columns");
    for (ResultColumn column : columns) {
      json.writeStartObject();
      json.writeStringField("name", column.name());
      json.writeStringField("type", typeName(column.type()));
      json.writeBooleanField("nullable", column.type().isNullable());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("rows");
  }

  @Override
  public void write(VectorSchemaRoot batch) throws IOException {
    List<TextColumn> cells = new ArrayList<>();
    for (FieldVector vector : batch.getFieldVectors()) {
      cells.add(TextColumn.of(vector));
    }
    int rows = batch.getRowCount();
    for (int row = 0; row < rows; row++) {
      json.writeStartArray();
      for (TextColumn cell : cells) {
        if (cell.isNull(row)) {
          json.writeNull();
        } else {
          cell.json(json, row);
        }
      }
      json.writeEndArray();
    }
    rowCount += rows;
    json.flush();
  }

  @Override
  public void end() throws IOException {
    json.writeEndArray();
    json.writeNumberField("row_count", rowCount);
    json.writeEndObject();
    json.flush();
  }

  /** The SQL type as clients write it: {@code DECIMAL(12, 2)}, {@code TIMESTAMP}, {@code VARCHAR}. */
  static String typeName(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    if (name == SqlTypeName.DECIMAL) {
      return "DECIMAL(" + type.getPrecision() + ", " + type.getScale() + ")";
    }
    return name.getSpaceName();
  }
}
