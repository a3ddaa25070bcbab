package dev.sluice.gateway.engine;

import java.util.List;

/**
 * The rows of one running query as the engine produces them, before it attaches the query's
 * identity and timeout to make the {@link QueryCursor} clients see. Same contract as there.
 */
interface RowCursor extends AutoCloseable {
  List<Object[]> fetch(int maxRows);

  boolean done();

  void cancel();

  @Override
  void close();
}
