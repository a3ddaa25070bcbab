package dev.sluice.gateway.frontend.http;

import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes a query result in one wire format, batch by batch, as the batches arrive. Nothing it
 * writes marks the result as complete until {@link #end()}, which a failed query never reaches.
 */
interface ResultWriter {
  /** Writes what comes before the rows (schema, column list, header row). */
  void start() throws IOException;

  /** Writes the rows of one batch. */
  void write(VectorSchemaRoot batch) throws IOException;

  /** Writes what comes after the last row (end-of-stream marker, closing brackets, row count). */
  void end() throws IOException;
}
