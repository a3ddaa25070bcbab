package dev.sluice.gateway.frontend.avatica;

import dev.sluice.gateway.frontend.avatica.AvaticaCallContext.CallContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * A {@code Meta} that answers every query with the same two rows and records which caller, as seen
 * through {@link AvaticaCallContext}, made each call.
 */
final class TestingMeta extends MetaImpl {
  /** One call on this meta and the caller context it saw. */
  record Call(String method, Optional<CallContext> context) {}

  private final AtomicInteger statementIds = new AtomicInteger();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  TestingMeta() {
    // The connection is only used by client-side metas; a server-side one has none.
    super(null);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void openConnection(ConnectionHandle ch, java.util.Map<String, String> info) {
    record("openConnection");
  }

  @Override
  public StatementHandle createStatement(ConnectionHandle ch) {
    record("createStatement");
    return new StatementHandle(ch.id, statementIds.incrementAndGet(), null);
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h, String sql, long maxRowCount, PrepareCallback callback) {
    return prepareAndExecute(h, sql, maxRowCount, -1, callback);
  }

  @Override
  public ExecuteResult prepareAndExecute(
      StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback) {
    record("prepareAndExecute");
    List<ColumnMetaData> columns =
        List.of(columnMetaData("ID", 0, Integer.class, false), columnMetaData("NAME", 1, String.class, false));
    Signature signature = Signature.create(columns, sql, List.of(), CursorFactory.LIST, StatementType.SELECT);
    Frame frame = Frame.create(0, true, List.of(List.of(1, "alpha"), List.of(2, "beta")));
    return new ExecuteResult(List.of(MetaResultSet.create(h.connectionId, h.id, false, signature, frame)));
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    throw new UnsupportedOperationException("prepare");
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
    throw new UnsupportedOperationException("prepareAndExecuteBatch");
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
    throw new UnsupportedOperationException("executeBatch");
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) {
    return Frame.EMPTY;
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount) {
    throw new UnsupportedOperationException("execute");
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame) {
    throw new UnsupportedOperationException("execute");
  }

  @Override
  public void closeStatement(StatementHandle h) {
    record("closeStatement");
  }

  @Override
  public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
    return false;
  }

  @Override
  public void commit(ConnectionHandle ch) {}

  @Override
  public void rollback(ConnectionHandle ch) {}

  private void record(String method) {
    calls.add(new Call(method, AvaticaCallContext.current()));
  }
}
