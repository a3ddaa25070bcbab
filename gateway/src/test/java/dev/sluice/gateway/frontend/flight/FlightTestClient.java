package dev.sluice.gateway.frontend.flight;

import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.arrow.ArrowValues;
import dev.sluice.gateway.arrow.ValueWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/**
 * A stock {@link FlightSqlClient} logged in to a test gateway with Flight's basic-token handshake,
 * and helpers that read whole results as rows of plain Java values.
 */
final class FlightTestClient implements AutoCloseable {
  final BufferAllocator allocator;
  final FlightClient client;
  final FlightSqlClient sql;
  final CallOption auth;

  private FlightTestClient(BufferAllocator allocator, FlightClient client, CallOption auth) {
    this.allocator = allocator;
    this.client = client;
    this.sql = new FlightSqlClient(client);
    this.auth = auth;
  }

  /** {@code user} with the demo password, over plaintext gRPC. */
  static FlightTestClient connect(GatewayServer server, String user) {
    return connect(FlightClient.builder().location(Location.forGrpcInsecure("127.0.0.1", server.flightPort())), user,
        user + "-demo");
  }

  static FlightTestClient connect(FlightClient.Builder builder, String user, String password) {
    BufferAllocator allocator = new RootAllocator();
    FlightClient client = builder.allocator(allocator).build();
    try {
      CallOption auth = client.authenticateBasicToken(user, password).orElseThrow();
      return new FlightTestClient(allocator, client, auth);
    } catch (RuntimeException e) {
      closeQuietly(client);
      allocator.close();
      throw e;
    }
  }

  /** Every row of {@code query}, bound to {@code params} through a prepared statement when there are any. */
  List<List<Object>> query(String query, Object... params) {
    if (params.length == 0) {
      return rows(sql.execute(query, auth));
    }
    try (FlightSqlClient.PreparedStatement prepared = sql.prepare(query, auth);
        VectorSchemaRoot bound = VectorSchemaRoot.create(prepared.getParameterSchema(), allocator)) {
      bound.allocateNew();
      for (int i = 0; i < params.length; i++) {
        ValueWriter.forVector(bound.getVector(i)).write(0, params[i]);
      }
      bound.setRowCount(1);
      prepared.setParameters(bound);
      List<List<Object>> rows = rows(prepared.execute(auth));
      prepared.close(auth);
      return rows;
    }
  }

  /** Every row of every endpoint of {@code info}. */
  List<List<Object>> rows(FlightInfo info) {
    return rows(info, auth);
  }

  /** Every row of every endpoint of {@code info}, read with other credentials. */
  List<List<Object>> rows(FlightInfo info, CallOption credentials) {
    List<List<Object>> rows = new ArrayList<>();
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(endpoint.getTicket(), credentials)) {
        while (stream.next()) {
          rows.addAll(rows(stream.getRoot()));
        }
      } catch (Exception e) {
        throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
      }
    }
    return rows;
  }

  static List<List<Object>> rows(VectorSchemaRoot root) {
    List<List<Object>> rows = new ArrayList<>();
    for (int row = 0; row < root.getRowCount(); row++) {
      Object[] values = new Object[root.getFieldVectors().size()];
      for (int column = 0; column < values.length; column++) {
        values[column] = javaValue(root.getVector(column), row);
      }
      // Values may be NULL, which List.of refuses.
      rows.add(Arrays.asList(values));
    }
    return rows;
  }

  private static Object javaValue(FieldVector vector, int row) {
    Object value = ArrowValues.read(vector, row);
    if (value == null) {
      return null;
    }
    if (vector instanceof DateDayVector) {
      return LocalDate.ofEpochDay(((Number) value).longValue());
    }
    if (value instanceof Text text) {
      return text.toString();
    }
    return value;
  }

  @Override
  public void close() {
    closeQuietly(client);
    allocator.close();
  }

  private static void closeQuietly(FlightClient client) {
    try {
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
