package dev.sluice.gateway.frontend.avatica;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * Avatica's protobuf translation, with result frames written once instead of twice.
 *
 * <p>Avatica writes each value of a frame both as the column's {@code scalar_value} and, for
 * clients older than Avatica 1.8 (2016), in the deprecated repeated {@code value} field. Clients
 * since then read {@code scalar_value} (or {@code array_value}) and skip the copy, which still
 * doubles the bytes on the wire and the work of building, writing and parsing them: a million rows
 * of five columns took 2.7-2.8 s with it and 1.6-1.8 s without (bench/README.md). Frames here
 * carry each value once. Everything
 * else (other responses, requests, the non-frame fields of fetch and execute responses) is
 * Avatica's own translation.
 */
final class CompactFrameTranslation implements ProtobufTranslation {
  private final ProtobufTranslationImpl avatica = new ProtobufTranslationImpl();

  @Override
  public byte[] serializeResponse(Service.Response response) throws IOException {
    if (response instanceof Service.FetchResponse fetch && fetch.frame != null) {
      byte[] withoutFrame = avatica.serializeResponse(new Service.FetchResponse(
          null, fetch.missingStatement, fetch.missingResults, fetch.rpcMetadata));
      Common.WireMessage wire = Common.WireMessage.parseFrom(withoutFrame);
      Responses.FetchResponse message = Responses.FetchResponse.parseFrom(wire.getWrappedMessage())
          .toBuilder()
          .setFrame(toProto(fetch.frame))
          .build();
      return rewrap(wire, message.toByteString());
    }
    if (response instanceof Service.ExecuteResponse execute && execute.results != null
        && execute.results.stream().anyMatch(result -> result.firstFrame != null)) {
      List<Service.ResultSetResponse> withoutFrames = new ArrayList<>(execute.results.size());
      for (Service.ResultSetResponse result : execute.results) {
        withoutFrames.add(new Service.ResultSetResponse(result.connectionId, result.statementId,
            result.ownStatement, result.signature, null, result.updateCount, result.rpcMetadata));
      }
      byte[] serialized = avatica.serializeResponse(
          new Service.ExecuteResponse(withoutFrames, execute.missingStatement, execute.rpcMetadata));
      Common.WireMessage wire = Common.WireMessage.parseFrom(serialized);
      Responses.ExecuteResponse.Builder message =
          Responses.ExecuteResponse.parseFrom(wire.getWrappedMessage()).toBuilder();
      for (int i = 0; i < execute.results.size(); i++) {
        Frame frame = execute.results.get(i).firstFrame;
        if (frame != null) {
          message.setResults(i, message.getResults(i).toBuilder().setFirstFrame(toProto(frame)));
        }
      }
      return rewrap(wire, message.build().toByteString());
    }
    return avatica.serializeResponse(response);
  }

  private static byte[] rewrap(Common.WireMessage wire, ByteString message) {
    return wire.toBuilder().setWrappedMessage(message).build().toByteArray();
  }

  /** {@link Frame#toProto()}, without the deprecated copy of each scalar. */
  static Common.Frame toProto(Frame frame) {
    Common.Frame.Builder builder = Common.Frame.newBuilder().setDone(frame.done).setOffset(frame.offset);
    for (Object row : frame.rows) {
      if (row == null) {
        continue; // as Avatica does
      }
      Common.Row.Builder columns = Common.Row.newBuilder();
      if (row instanceof Object[] values) {
        for (Object value : values) {
          columns.addValue(column(value));
        }
      } else if (row instanceof Iterable<?> values) {
        for (Object value : values) {
          columns.addValue(column(value));
        }
      } else {
        throw new IllegalArgumentException("Only arrays and lists are rows, not " + row.getClass().getName());
      }
      builder.addRows(columns);
    }
    return builder.build();
  }

  private static Common.ColumnValue column(Object value) {
    Common.ColumnValue.Builder column = Common.ColumnValue.newBuilder();
    if (value instanceof List<?> array) {
      column.setHasArrayValue(true);
      for (Object element : array) {
        column.addArrayValue(scalar(element));
      }
    } else {
      column.setScalarValue(scalar(value));
    }
    return column.build();
  }

  private static Common.TypedValue scalar(Object value) {
    Common.TypedValue.Builder builder = Common.TypedValue.newBuilder();
    TypedValue.toProto(builder, value);
    return builder.build();
  }

  @Override
  public byte[] serializeRequest(Service.Request request) throws IOException {
    return avatica.serializeRequest(request);
  }

  @Override
  public Service.Request parseRequest(byte[] bytes) throws IOException {
    return avatica.parseRequest(bytes);
  }

  @Override
  public Service.Response parseResponse(byte[] bytes) throws IOException {
    return avatica.parseResponse(bytes);
  }
}
