package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.arrow.ArrowTypeMapping;
import dev.sluice.gateway.engine.QueryEngine;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionClosePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementRequest;
import org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCatalogs;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCrossReference;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetExportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetImportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetSqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTableTypes;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementQuery;
import org.apache.arrow.flight.sql.impl.FlightSql.DoPutPreparedStatementResult;
import org.apache.arrow.flight.sql.impl.FlightSql.TicketStatementQuery;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Sluice's Flight SQL service: turns Flight SQL commands into calls on the {@link QueryEngine} and
 * the engine's Arrow batches into Flight streams, as the caller {@link FlightAuthentication}
 * established. GetFlightInfo plans and issues a ticket (an opaque handle naming the plan and its
 * parameter values); DoGet on the ticket runs the query. Prepared statements are planned once and
 * bound through DoPut. Every handle belongs to the user who created it.
 * Writes, Substrait plans and transactions are refused by {@link ReadOnlyFlightSqlProducer}.
 */
final class GatewayFlightProducer extends ReadOnlyFlightSqlProducer {
  private final QueryEngine engine;
  private final FlightStatements statements;
  private final ResultStreams streams;
  private final FlightMetadata metadata;
  private final BufferAllocator allocator;

  GatewayFlightProducer(
      QueryEngine engine,
      FlightStatements statements,
      ResultStreams streams,
      FlightMetadata metadata,
      BufferAllocator allocator) {
    this.engine = requireNonNull(engine, "engine is null");
    this.statements = requireNonNull(statements, "statements is null");
    this.streams = requireNonNull(streams, "streams is null");
    this.metadata = requireNonNull(metadata, "metadata is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
  }

  // ---- statements --------------------------------------------------------------------------

  @Override
  public FlightInfo getFlightInfoStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return answer(() -> {
      refuseTransaction(command.hasTransactionId());
      FlightCaller caller = FlightAuthentication.caller();
      Principal principal = caller.principal();
      QueryPlan plan = engine.prepare(caller.queryContext(), command.getQuery());
      if (!plan.parameterTypes().isEmpty()) {
        throw new GatewayException(
            ErrorCode.INVALID_PARAMETER,
            "The query has " + plan.parameterTypes().size() + " parameter(s): prepare it and bind them");
      }
      return flightInfo(plan, descriptor, statements.issue(principal, plan, List.of()));
    });
  }

  @Override
  public SchemaResult getSchemaStatement(
      CommandStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return answer(() -> {
      refuseTransaction(command.hasTransactionId());
      QueryPlan plan = engine.prepare(FlightAuthentication.caller().queryContext(), command.getQuery());
      return new SchemaResult(ArrowTypeMapping.schema(plan.columns()));
    });
  }

  @Override
  public void getStreamStatement(TicketStatementQuery ticket, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> {
      FlightCaller caller = FlightAuthentication.caller();
      streams.start(caller, statements.ticket(caller.principal(), ticket.getStatementHandle()), listener);
    });
  }

  // ---- prepared statements -----------------------------------------------------------------

  @Override
  public void createPreparedStatement(
      ActionCreatePreparedStatementRequest request, CallContext context, StreamListener<Result> listener) {
    respond(listener, () -> {
      refuseTransaction(request.hasTransactionId());
      FlightCaller caller = FlightAuthentication.caller();
      Principal principal = caller.principal();
      QueryPlan plan = engine.prepare(caller.queryContext(), request.getQuery());
      PreparedQuery prepared = statements.prepare(principal, plan);
      ActionCreatePreparedStatementResult result = ActionCreatePreparedStatementResult.newBuilder()
          .setPreparedStatementHandle(FlightStatements.handleBytes(prepared.id()))
          .setDatasetSchema(ByteString.copyFrom(ArrowTypeMapping.schema(plan.columns()).serializeAsMessage()))
          .setParameterSchema(ByteString.copyFrom(parameterSchema(plan).serializeAsMessage()))
          .build();
      listener.onNext(new Result(Any.pack(result).toByteArray()));
      listener.onCompleted();
    });
  }

  @Override
  public void closePreparedStatement(
      ActionClosePreparedStatementRequest request, CallContext context, StreamListener<Result> listener) {
    respond(listener, () -> {
      statements.closePrepared(FlightAuthentication.caller().principal(), request.getPreparedStatementHandle());
      listener.onCompleted();
    });
  }

  /** Binds one row of parameter values; the answer repeats the handle, as Flight SQL 15+ clients expect. */
  @Override
  public Runnable acceptPutPreparedStatementQuery(
      CommandPreparedStatementQuery command,
      CallContext context,
      FlightStream stream,
      StreamListener<PutResult> ackStream) {
    return () -> respond(ackStream, () -> {
      Principal principal = FlightAuthentication.caller().principal();
      PreparedQuery prepared = statements.prepared(principal, command.getPreparedStatementHandle());
      List<Object> values = List.of();
      boolean bound = false;
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        if (root.getRowCount() == 0) {
          continue;
        }
        if (bound || root.getRowCount() > 1) {
          throw new GatewayException(
              ErrorCode.INVALID_PARAMETER, "Bind one row of parameter values per execution, not a batch");
        }
        values = FlightParameters.read(root, 0);
        bound = true;
      }
      prepared.bind(values);
      byte[] answer = DoPutPreparedStatementResult.newBuilder()
          .setPreparedStatementHandle(command.getPreparedStatementHandle())
          .build()
          .toByteArray();
      try (ArrowBuf buffer = allocator.buffer(answer.length)) {
        buffer.writeBytes(answer);
        ackStream.onNext(PutResult.metadata(buffer));
      }
      ackStream.onCompleted();
    });
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return answer(() -> {
      Principal principal = FlightAuthentication.caller().principal();
      PreparedQuery prepared = statements.prepared(principal, command.getPreparedStatementHandle());
      QueryTicket ticket = statements.issue(principal, prepared.plan(), prepared.parametersToExecute());
      return flightInfo(prepared.plan(), descriptor, ticket);
    });
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, FlightDescriptor descriptor) {
    return answer(() -> {
      PreparedQuery prepared = statements.prepared(
          FlightAuthentication.caller().principal(), command.getPreparedStatementHandle());
      return new SchemaResult(ArrowTypeMapping.schema(prepared.plan().columns()));
    });
  }

  /** Clients normally read the ticket GetFlightInfo issued; a DoGet on the statement itself runs it too. */
  @Override
  public void getStreamPreparedStatement(
      CommandPreparedStatementQuery command, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> {
      FlightCaller caller = FlightAuthentication.caller();
      PreparedQuery prepared = statements.prepared(caller.principal(), command.getPreparedStatementHandle());
      QueryTicket ticket = statements.issue(caller.principal(), prepared.plan(), prepared.parametersToExecute());
      streams.start(caller, ticket, listener);
    });
  }

  // ---- cancellation ------------------------------------------------------------------------

  /**
   * Cancels the executions the FlightInfo's tickets name: a ticket not yet read never runs, a
   * running one has its warehouse statement canceled and its stream ends with CANCELLED. Tickets
   * that are gone (read, expired) or not the caller's are not cancellable.
   */
  @Override
  public void cancelFlightInfo(
      CancelFlightInfoRequest request, CallContext context, StreamListener<CancelStatus> listener) {
    respond(listener, () -> {
      Principal principal = FlightAuthentication.caller().principal();
      CancelStatus status = CancelStatus.NOT_CANCELLABLE;
      for (FlightEndpoint endpoint : request.getInfo().getEndpoints()) {
        ByteString handle = statementHandle(endpoint.getTicket());
        if (handle != null) {
          CancelStatus canceled = statements.findTicket(principal, handle)
              .map(QueryTicket::cancel)
              .orElse(CancelStatus.NOT_CANCELLABLE);
          if (canceled == CancelStatus.CANCELLED) {
            status = CancelStatus.CANCELLED;
          }
        }
      }
      listener.onNext(status);
      listener.onCompleted();
    });
  }

  // ---- metadata ----------------------------------------------------------------------------

  @Override
  public FlightInfo getFlightInfoSqlInfo(CommandGetSqlInfo command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_SQL_INFO_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamSqlInfo(CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> metadata.sqlInfo(command, listener));
  }

  @Override
  public FlightInfo getFlightInfoTypeInfo(
      CommandGetXdbcTypeInfo command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_TYPE_INFO_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamTypeInfo(CommandGetXdbcTypeInfo command, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> metadata.typeInfo(command, listener));
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(CommandGetCatalogs command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_CATALOGS_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    stream(listener, () -> metadata.catalogs(listener));
  }

  @Override
  public FlightInfo getFlightInfoSchemas(CommandGetDbSchemas command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_SCHEMAS_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamSchemas(CommandGetDbSchemas command, CallContext context, ServerStreamListener listener) {
    streamMetadata(listener, "GetDbSchemas", () -> metadata.schemas(FlightAuthentication.caller().principal(), command, listener));
  }

  @Override
  public FlightInfo getFlightInfoTables(CommandGetTables command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(FlightMetadata.tablesSchema(command), command, descriptor);
  }

  @Override
  public void getStreamTables(CommandGetTables command, CallContext context, ServerStreamListener listener) {
    streamMetadata(listener, "GetTables", () -> metadata.tables(FlightAuthentication.caller().principal(), command, listener));
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(
      CommandGetTableTypes command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_TABLE_TYPES_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    stream(listener, () -> metadata.tableTypes(listener));
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(
      CommandGetPrimaryKeys command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_PRIMARY_KEYS_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamPrimaryKeys(CommandGetPrimaryKeys command, CallContext context, ServerStreamListener listener) {
    streamMetadata(listener, "GetPrimaryKeys", () -> metadata.primaryKeys(FlightAuthentication.caller().principal(), command, listener));
  }

  @Override
  public FlightInfo getFlightInfoExportedKeys(
      CommandGetExportedKeys command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_EXPORTED_KEYS_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamExportedKeys(
      CommandGetExportedKeys command, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> metadata.noForeignKeys(Schemas.GET_EXPORTED_KEYS_SCHEMA, listener));
  }

  @Override
  public FlightInfo getFlightInfoImportedKeys(
      CommandGetImportedKeys command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_IMPORTED_KEYS_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamImportedKeys(
      CommandGetImportedKeys command, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> metadata.noForeignKeys(Schemas.GET_IMPORTED_KEYS_SCHEMA, listener));
  }

  @Override
  public FlightInfo getFlightInfoCrossReference(
      CommandGetCrossReference command, CallContext context, FlightDescriptor descriptor) {
    return metadataInfo(Schemas.GET_CROSS_REFERENCE_SCHEMA, command, descriptor);
  }

  @Override
  public void getStreamCrossReference(
      CommandGetCrossReference command, CallContext context, ServerStreamListener listener) {
    stream(listener, () -> metadata.noForeignKeys(Schemas.GET_CROSS_REFERENCE_SCHEMA, listener));
  }

  /** Sluice keeps no flights between calls: every result is a query's ticket. */
  @Override
  public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    listener.onCompleted();
  }

  /** Nothing to release: the frontend owns the caches, streams and memory this producer uses. */
  @Override
  public void close() {}

  // ---- helpers -----------------------------------------------------------------------------

  private static FlightInfo flightInfo(QueryPlan plan, FlightDescriptor descriptor, QueryTicket ticket) {
    TicketStatementQuery handle = TicketStatementQuery.newBuilder()
        .setStatementHandle(FlightStatements.handleBytes(ticket.id()))
        .build();
    // No locations: the client reads the ticket from this server.
    FlightEndpoint endpoint = new FlightEndpoint(new Ticket(Any.pack(handle).toByteArray()));
    return new FlightInfo(ArrowTypeMapping.schema(plan.columns()), descriptor, List.of(endpoint), -1, -1);
  }

  // Metadata tickets are the command itself: DoGet answers it for whoever calls, with their view.
  private static FlightInfo metadataInfo(Schema schema, Message command, FlightDescriptor descriptor) {
    FlightEndpoint endpoint = new FlightEndpoint(new Ticket(Any.pack(command).toByteArray()));
    return new FlightInfo(schema, descriptor, List.of(endpoint), -1, -1);
  }

  private static Schema parameterSchema(QueryPlan plan) {
    List<Field> fields = new ArrayList<>();
    List<RelDataType> types = plan.parameterTypes();
    for (int i = 0; i < types.size(); i++) {
      fields.add(ArrowTypeMapping.field("parameter_" + (i + 1), types.get(i)));
    }
    return new Schema(fields);
  }

  /** The statement handle a ticket of ours carries; null for any other ticket. */
  private static ByteString statementHandle(Ticket ticket) {
    try {
      Any any = Any.parseFrom(ticket.getBytes());
      return any.is(TicketStatementQuery.class)
          ? any.unpack(TicketStatementQuery.class).getStatementHandle()
          : null;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static <T> T answer(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw FlightErrors.toFlight(e);
    }
  }

  private static void respond(StreamListener<?> listener, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      listener.onError(FlightErrors.toFlight(e));
    }
  }

  /** {@link #stream}, auditing a refused metadata call (such as one without a required purpose). */
  private void streamMetadata(ServerStreamListener listener, String name, Runnable call) {
    stream(listener, () -> {
      try {
        call.run();
      } catch (GatewayException e) {
        engine.metadataRefused(FlightAuthentication.caller().queryContext(), name, e);
        throw e;
      }
    });
  }

  private static void stream(ServerStreamListener listener, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      listener.error(FlightErrors.toFlight(e));
    }
  }
}
