package dev.sluice.bench;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A client over Arrow Flight SQL ({@link FlightSqlClient}): it receives and decodes each record
 * batch into vectors, as columnar clients (pyarrow, ADBC, Arrow JS) do, without boxing values.
 */
final class FlightBenchClient implements BenchClient {
  private final BufferAllocator allocator;
  private final FlightClient flight;
  private final FlightSqlClient sql;
  private final CallOption auth;
  private final FlightSqlClient.PreparedStatement point;
  private final VectorSchemaRoot pointParameters;

  FlightBenchClient(BufferAllocator parent, int port, String user, String password, String pointSql) {
    this.allocator = parent.newChildAllocator("flight-client", 0, Long.MAX_VALUE);
    this.flight = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
    this.auth = flight.authenticateBasicToken(user, password)
        .orElseThrow(() -> new IllegalStateException("Flight SQL returned no bearer token"));
    this.sql = new FlightSqlClient(flight);
    this.point = sql.prepare(pointSql, auth);
    this.pointParameters = VectorSchemaRoot.create(point.getParameterSchema(), allocator);
  }

  @Override
  public long run(String query, List<Object> params, LongConsumer firstRow) throws Exception {
    if (params.isEmpty()) {
      return read(sql.execute(query, auth), firstRow);
    }
    FlightSqlClient.PreparedStatement prepared = sql.prepare(query, auth);
    try (VectorSchemaRoot parameters = VectorSchemaRoot.create(prepared.getParameterSchema(), allocator)) {
      for (int i = 0; i < params.size(); i++) {
        set(parameters.getVector(i), params.get(i));
      }
      parameters.setRowCount(1);
      prepared.setParameters(parameters);
      return read(prepared.execute(auth), firstRow);
    } finally {
      prepared.close(auth);
    }
  }

  @Override
  public long point(long customerId) throws Exception {
    pointParameters.allocateNew();
    set(pointParameters.getVector(0), customerId);
    pointParameters.setRowCount(1);
    point.setParameters(pointParameters);
    return read(point.execute(auth), at -> {});
  }

  private static void set(FieldVector vector, Object value) {
    if (vector instanceof BigIntVector bigint) {
      bigint.setSafe(0, ((Number) value).longValue());
    } else if (vector instanceof org.apache.arrow.vector.IntVector integer) {
      integer.setSafe(0, ((Number) value).intValue());
    } else if (vector instanceof org.apache.arrow.vector.VarCharVector text) {
      text.setSafe(0, value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else if (vector instanceof org.apache.arrow.vector.DecimalVector decimal) {
      decimal.setSafe(0, new BigDecimal(value.toString()).setScale(decimal.getScale()));
    } else if (vector instanceof org.apache.arrow.vector.Float8Vector real) {
      real.setSafe(0, ((Number) value).doubleValue());
    } else {
      throw new IllegalArgumentException("No benchmark binding for " + vector.getField());
    }
    vector.setValueCount(1);
  }

  private long read(FlightInfo info, LongConsumer firstRow) throws Exception {
    long rows = 0;
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(endpoint.getTicket(), auth)) {
        while (stream.next()) {
          int count = stream.getRoot().getRowCount();
          if (rows == 0 && count > 0) {
            firstRow.accept(System.nanoTime());
          }
          rows += count;
        }
      }
    }
    return rows;
  }

  @Override
  public void close() throws Exception {
    pointParameters.close();
    point.close(auth);
    flight.close();
    allocator.close();
  }
}
