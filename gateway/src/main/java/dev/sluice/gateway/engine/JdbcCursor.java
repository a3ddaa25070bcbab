package dev.sluice.gateway.engine;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.arrow.ArrowValues;
import dev.sluice.gateway.arrow.RowReader;
import dev.sluice.gateway.arrow.ValueWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBResultSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Streams a whole-pushdown query's rows straight from the warehouse's JDBC cursor. */
final class JdbcCursor extends StreamingCursor {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCursor.class);

  private final String warehouse;
  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet resultSet;
  private final List<ResultColumn> columns;
  private final ColumnReader[] readers;
  // DuckDB rows are read from its Arrow export too: its JDBC row cursor can end a failing streamed
  // query as if it were complete (seen about once in 40 runs of a query failing mid-stream), the
  // Arrow stream reports the failure every time, and it is several times faster.
  private final boolean duckdbRows;
  private BufferAllocator rowMemory;
  private ArrowReader rowReader;
  private VectorSchemaRoot rowBatch;
  private RowReader[] rowReaders;
  private int rowIndex;
  private int rowCount;

  JdbcCursor(
      String warehouse,
      Connection connection,
      PreparedStatement statement,
      ResultSet resultSet,
      List<ResultColumn> columns) {
    this.warehouse = warehouse;
    this.connection = connection;
    this.statement = statement;
    this.resultSet = resultSet;
    this.columns = columns;
    this.readers = columns.stream().map(c -> ColumnReader.forType(c.type())).toArray(ColumnReader[]::new);
    this.duckdbRows = NATIVE_EXPORT && isDuckDb(resultSet);
  }

  private static boolean isDuckDb(ResultSet resultSet) {
    try {
      return resultSet.isWrapperFor(DuckDBResultSet.class);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  boolean advance() throws Exception {
    if (!duckdbRows) {
      return resultSet.next();
    }
    if (rowReader == null) {
      rowMemory = ROW_MEMORY.newChildAllocator("rows of " + warehouse, 0, Long.MAX_VALUE);
      rowReader = (ArrowReader) resultSet.unwrap(DuckDBResultSet.class).arrowExportStream(rowMemory, ROW_BATCH);
    }
    rowIndex++;
    while (rowIndex >= rowCount) {
      try {
        if (!rowReader.loadNextBatch()) {
          closeRowReader();
          return false;
        }
      } catch (IOException e) {
        throw new SQLException(e.getMessage(), e);
      }
      rowBatch = rowReader.getVectorSchemaRoot();
      rowCount = rowBatch.getRowCount();
      rowIndex = 0;
      if (rowCount > 0) {
        bindRowReaders();
      }
    }
    return true;
  }

  @Override
  Object[] row() throws SQLException {
    Object[] row = new Object[readers.length];
    if (duckdbRows) {
      for (int i = 0; i < rowReaders.length; i++) {
        row[i] = rowReaders[i].read(rowIndex);
      }
      return row;
    }
    for (int i = 0; i < readers.length; i++) {
      row[i] = readers[i].read(resultSet, i + 1);
    }
    return row;
  }

  /** Readers for the batch just loaded (an export may hand out new vectors with each batch). */
  private void bindRowReaders() throws SQLException {
    List<FieldVector> vectors = rowBatch.getFieldVectors();
    if (vectors.size() != columns.size()) {
      throw new SQLException("DuckDB returned " + vectors.size() + " columns for a plan of " + columns.size());
    }
    if (rowReaders == null) {
      rowReaders = new RowReader[columns.size()];
    }
    for (int i = 0; i < rowReaders.length; i++) {
      rowReaders[i] = RowReader.of(columns.get(i).type(), vectors.get(i));
    }
  }

  private void closeRowReader() {
    if (rowReader != null) {
      closeQuietly(rowReader);
      rowReader = null;
      rowBatch = null;
      rowCount = 0;
    }
    if (rowMemory != null) {
      closeQuietly(rowMemory);
      rowMemory = null;
    }
  }

  @Override
  RowSink arrowSink(VectorSchemaRoot root) {
    List<FieldVector> vectors = root.getFieldVectors();
    ValueWriter[] writers = new ValueWriter[vectors.size()];
    ColumnReader[] precise = new ColumnReader[vectors.size()];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = ValueWriter.forVector(vectors.get(i));
      precise[i] = ColumnReader.precise(columns.get(i).type());
    }
    return index -> {
      for (int i = 0; i < writers.length; i++) {
        writers[i].write(index, precise[i].read(resultSet, i + 1));
      }
    };
  }

  /**
   * Whether DuckDB results use DuckDB's own Arrow export; {@code -Dsluice.arrow.native=false}
   * converts their JDBC rows like other warehouses' (for measuring, or to sidestep an export bug).
   */
  private static final boolean NATIVE_EXPORT =
      Boolean.parseBoolean(System.getProperty("sluice.arrow.native", "true"));
  /** Rows per batch of DuckDB's export when the cursor's rows are read as Java arrays. */
  private static final int ROW_BATCH = 8_192;
  /** Memory of the row path's batches (child allocators per cursor; lives as long as the JVM). */
  private static final BufferAllocator ROW_MEMORY = new RootAllocator();

  /** DuckDB exports its results as Arrow natively, 3-4x faster than reading its JDBC rows. */
  @Override
  public ArrowBatches arrow(Schema schema, BufferAllocator allocator, int batchRows) {
    if (!NATIVE_EXPORT) {
      return super.arrow(schema, allocator, batchRows);
    }
    DuckDBResultSet duckdb;
    try {
      if (!resultSet.isWrapperFor(DuckDBResultSet.class)) {
        return super.arrow(schema, allocator, batchRows);
      }
      duckdb = resultSet.unwrap(DuckDBResultSet.class);
    } catch (SQLException e) {
      return super.arrow(schema, allocator, batchRows);
    }
    ArrowReader reader;
    try {
      reader = (ArrowReader) duckdb.arrowExportStream(allocator, batchRows);
    } catch (SQLException e) {
      throw failure(e);
    }
    return new NativeBatches(schema, allocator, reader);
  }

  /** Batches from DuckDB's export, moved (not copied) into the result's schema where types agree. */
  private final class NativeBatches implements ArrowBatches, AutoCloseable {
    private final Schema schema;
    private final VectorSchemaRoot root;
    private final ValueWriter[] writers;
    private final ArrowReader reader;
    private boolean readerClosed;

    NativeBatches(Schema schema, BufferAllocator allocator, ArrowReader reader) {
      this.schema = schema;
      this.reader = reader;
      this.root = VectorSchemaRoot.create(schema, allocator);
      List<FieldVector> vectors = root.getFieldVectors();
      this.writers = new ValueWriter[vectors.size()];
      for (int i = 0; i < writers.length; i++) {
        writers[i] = ValueWriter.forVector(vectors.get(i));
      }
      keepArrowResource(this);
    }

    @Override
    public VectorSchemaRoot root() {
      return root;
    }

    @Override
    public boolean next() {
      return loadBatch(this::load);
    }

    private boolean load() throws Exception {
      try {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot source = reader.getVectorSchemaRoot();
          int rows = source.getRowCount();
          if (rows == 0) {
            continue;
          }
          if (source.getFieldVectors().size() != writers.length) {
            throw new SQLException("DuckDB returned " + source.getFieldVectors().size()
                + " columns for a plan of " + writers.length);
          }
          root.clear();
          for (int i = 0; i < writers.length; i++) {
            move(source.getVector(i), writers[i], rows);
          }
          root.setRowCount(rows);
          return true;
        }
      } catch (IOException e) {
        throw new SQLException(e.getMessage(), e);
      }
      // Before the result set: the stream reads from DuckDB's result.
      closeReader();
      return false;
    }

    private void move(FieldVector from, ValueWriter writer, int rows) {
      FieldVector to = writer.vector();
      if (from.getField().getType().equals(to.getField().getType())) {
        from.makeTransferPair(to).transfer();
        return;
      }
      to.setInitialCapacity(rows);
      to.allocateNew();
      for (int row = 0; row < rows; row++) {
        writer.write(row, ArrowValues.read(from, row));
      }
      to.setValueCount(rows);
    }

    private void closeReader() {
      if (!readerClosed) {
        readerClosed = true;
        try {
          reader.close();
        } catch (Exception e) {
          LOG.debug("Closing DuckDB's Arrow stream failed: {}", e.toString());
        }
      }
    }

    @Override
    public void close() {
      closeReader();
      root.close();
    }
  }

  @Override
  void interrupt() {
    try {
      statement.cancel();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Cancel on warehouse {} failed: {}", warehouse, e.toString());
    }
  }

  @Override
  void release() {
    // The export stream reads from DuckDB's result: it goes first.
    closeRowReader();
    closeQuietly(resultSet);
    closeQuietly(statement);
    closeQuietly(connection);
  }

  @Override
  RuntimeException failure(Exception e) {
    if (e instanceof SQLException sql) {
      return Warehouses.failure(warehouse, sql);
    }
    return new GatewayException(ErrorCode.INTERNAL_ERROR, "Reading warehouse " + warehouse + " failed", e);
  }

  private void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.debug("Closing a {} resource failed: {}", warehouse, e.toString());
    }
  }
}
