package dev.sluice.gateway.frontend.flight;

import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionBeginSavepointRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionBeginSavepointResult;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionBeginTransactionRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionBeginTransactionResult;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedSubstraitPlanRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionEndSavepointRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionEndTransactionRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementUpdate;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementSubstraitPlan;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementUpdate;

/**
 * A Flight SQL producer that refuses everything a read-only SQL service cannot do: updates,
 * bulk ingestion, transactions and savepoints, and Substrait plans (Sluice validates SQL against
 * its virtual schema; a plan would bypass that). Each refusal is UNIMPLEMENTED with SQLSTATE 0A000
 * and says why, rather than Flight's bare default.
 */
abstract class ReadOnlyFlightSqlProducer implements FlightSqlProducer {
  static final String READ_ONLY = "Sluice is read-only: ";
  static final String NO_SUBSTRAIT = "Substrait plans are not supported; send SQL";

  /** Queries may name a transaction; there are none to name. */
  static void refuseTransaction(boolean hasTransaction) {
    if (hasTransaction) {
      throw FlightErrors.unsupported(READ_ONLY + "transactions are not supported");
    }
  }

  @Override
  public Runnable acceptPutStatement(
      CommandStatementUpdate command, CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return refusedPut(ack, READ_ONLY + "updates are not supported");
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(
      CommandPreparedStatementUpdate command, CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return refusedPut(ack, READ_ONLY + "updates are not supported");
  }

  @Override
  public Runnable acceptPutStatementBulkIngest(
      CommandStatementIngest command, CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return refusedPut(ack, READ_ONLY + "bulk ingestion is not supported");
  }

  @Override
  public Runnable acceptPutSubstraitPlan(
      CommandStatementSubstraitPlan command, CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return refusedPut(ack, NO_SUBSTRAIT);
  }

  @Override
  public FlightInfo getFlightInfoSubstraitPlan(
      CommandStatementSubstraitPlan command, CallContext context, FlightDescriptor descriptor) {
    throw FlightErrors.unsupported(NO_SUBSTRAIT);
  }

  @Override
  public SchemaResult getSchemaSubstraitPlan(
      CommandStatementSubstraitPlan command, CallContext context, FlightDescriptor descriptor) {
    throw FlightErrors.unsupported(NO_SUBSTRAIT);
  }

  @Override
  public void createPreparedSubstraitPlan(
      ActionCreatePreparedSubstraitPlanRequest request,
      CallContext context,
      StreamListener<ActionCreatePreparedStatementResult> listener) {
    listener.onError(FlightErrors.unsupported(NO_SUBSTRAIT));
  }

  @Override
  public void beginTransaction(
      ActionBeginTransactionRequest request,
      CallContext context,
      StreamListener<ActionBeginTransactionResult> listener) {
    listener.onError(FlightErrors.unsupported(READ_ONLY + "transactions are not supported"));
  }

  @Override
  public void endTransaction(
      ActionEndTransactionRequest request, CallContext context, StreamListener<Result> listener) {
    listener.onError(FlightErrors.unsupported(READ_ONLY + "transactions are not supported"));
  }

  @Override
  public void beginSavepoint(
      ActionBeginSavepointRequest request,
      CallContext context,
      StreamListener<ActionBeginSavepointResult> listener) {
    listener.onError(FlightErrors.unsupported(READ_ONLY + "savepoints are not supported"));
  }

  @Override
  public void endSavepoint(ActionEndSavepointRequest request, CallContext context, StreamListener<Result> listener) {
    listener.onError(FlightErrors.unsupported(READ_ONLY + "savepoints are not supported"));
  }

  private static Runnable refusedPut(StreamListener<PutResult> ack, String message) {
    return () -> ack.onError(FlightErrors.unsupported(message));
  }
}
