package dev.sluice.gateway.engine;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The remaining rows of a {@link QueryCursor} as Arrow record batches, loaded one at a time into
 * one {@link VectorSchemaRoot}. The batches belong to the cursor: closing the cursor frees them.
 * Each {@link #next()} releases the previous batch's buffers (a consumer that still needs them,
 * such as a message queued for the network, must hold its own reference) and allocates the next
 * one, so a query holds about one batch in memory.
 */
public interface ArrowBatches {
  /** The result's schema, in the gateway's {@link dev.sluice.gateway.arrow.ArrowTypeMapping}. */
  default Schema schema() {
    return root().getSchema();
  }

  /** The root {@link #next()} loads; its schema is {@link #schema()}. */
  VectorSchemaRoot root();

  /**
   * Loads the next batch (at least one row) into {@link #root()}; false once every row has been
   * returned. Fails with the same errors as {@link QueryCursor#fetch(int)}.
   */
  boolean next();

  /** The Arrow body of a batch: its buffers, what goes on the wire besides framing. */
  static long bodyBytes(VectorSchemaRoot root) {
    long bytes = 0;
    for (org.apache.arrow.vector.FieldVector vector : root.getFieldVectors()) {
      bytes += vector.getBufferSize();
    }
    return bytes;
  }

  /** Batches loaded into {@code root} by {@code next}, which follows {@link #next()}'s contract. */
  static ArrowBatches of(VectorSchemaRoot root, java.util.function.BooleanSupplier next) {
    return new ArrowBatches() {
      @Override
      public VectorSchemaRoot root() {
        return root;
      }

      @Override
      public boolean next() {
        return next.getAsBoolean();
      }
    };
  }
}
