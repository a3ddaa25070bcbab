package dev.sluice.gateway.frontend.http;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

/**
 * The Arrow IPC stream format: a schema message, one record batch message per batch, and the
 * end-of-stream marker only after the last one.
 */
final class ArrowResultWriter implements ResultWriter {
  private final ArrowStreamWriter writer;

  /** Writes the batches loaded into {@code root}, which must be the one every batch is loaded into. */
  ArrowResultWriter(VectorSchemaRoot root, WritableByteChannel out) {
    // Never closed: closing an ArrowStreamWriter writes the end-of-stream marker, which a failed
    // query must not get. It holds no memory of its own (no dictionaries).
    this.writer = new ArrowStreamWriter(root, new DictionaryProvider.MapDictionaryProvider(), out);
  }

  @Override
  public void start() throws IOException {
    writer.start();
  }

  @Override
  public void write(VectorSchemaRoot batch) throws IOException {
    writer.writeBatch();
  }

  @Override
  public void end() throws IOException {
    writer.end();
  }
}
