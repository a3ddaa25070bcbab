package dev.sluice.gateway.frontend.http;

import dev.sluice.gateway.engine.ResultColumn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * CSV as RFC 4180 has it: a header row of column names, CRLF line ends, fields quoted when they
 * hold a comma, quote, CR or LF (quotes doubled). SQL NULL is an empty field and the empty string
 * a quoted empty field ({@code ""}), so the two stay apart. Values are written as {@link
 * TextColumn} says.
 */
final class CsvResultWriter implements ResultWriter {
  private static final String LINE_END = "\r\n";

  private final List<ResultColumn> columns;
  private final Writer out;

  CsvResultWriter(List<ResultColumn> columns, OutputStream out) {
    this.columns = List.copyOf(columns);
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
  }

  @Override
  public void start() throws IOException {
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      field(columns.get(i).name());
    }
    out.write(LINE_END);
  }

  @Override
  public void write(VectorSchemaRoot batch) throws IOException {
    List<TextColumn> cells = new ArrayList<>();
    for (FieldVector vector : batch.getFieldVectors()) {
      cells.add(TextColumn.of(vector));
    }
    int rows = batch.getRowCount();
    for (int row = 0; row < rows; row++) {
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        TextColumn cell = cells.get(i);
        if (!cell.isNull(row)) {
          field(cell.text(row));
        }
      }
      out.write(LINE_END);
    }
    out.flush();
  }

  @Override
  public void end() throws IOException {
    out.flush();
  }

  private void field(String text) throws IOException {
    if (text.isEmpty() || needsQuotes(text)) {
      out.write('"');
      out.write(text.replace("\"", "\"\""));
      out.write('"');
    } else {
      out.write(text);
    }
  }

  private static boolean needsQuotes(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }
}
