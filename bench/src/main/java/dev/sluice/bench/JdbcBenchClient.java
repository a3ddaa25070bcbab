package dev.sluice.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.function.LongConsumer;

/** A client over any JDBC driver: reads each value with {@code getObject}, as a JDBC tool does. */
final class JdbcBenchClient implements BenchClient {
  private final Connection connection;
  private final PreparedStatement point;
  private final int fetchSize;

  JdbcBenchClient(Connection connection, String pointSql, int fetchSize) throws Exception {
    this.connection = connection;
    this.point = connection.prepareStatement(pointSql);
    this.fetchSize = fetchSize;
  }

  @Override
  public long run(String sql, List<Object> params, LongConsumer firstRow) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setFetchSize(fetchSize);
      for (int i = 0; i < params.size(); i++) {
        statement.setObject(i + 1, params.get(i));
      }
      return read(statement, firstRow);
    }
  }

  @Override
  public long point(long customerId) throws Exception {
    point.setLong(1, customerId);
    return read(point, at -> {});
  }

  private static long read(PreparedStatement statement, LongConsumer firstRow) throws Exception {
    long rows = 0;
    try (ResultSet rs = statement.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        if (rows++ == 0) {
          firstRow.accept(System.nanoTime());
        }
        for (int i = 1; i <= columns; i++) {
          rs.getObject(i);
        }
      }
    }
    return rows;
  }

  @Override
  public void close() throws Exception {
    point.close();
    connection.close();
  }
}
