package dev.sluice.gateway.frontend.avatica;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;

/**
 * Compact frames read back, through Avatica's own client-side parsing, exactly as Avatica's frames
 * do (every kind of value the engine hands out, nulls, arrays), with the rest of fetch and execute
 * responses unchanged, in fewer bytes.
 */
class CompactFrameTranslationTest {
  private static final Service.RpcMetadataResponse SERVER = new Service.RpcMetadataResponse("gw:8765");

  private final ProtobufTranslationImpl avatica = new ProtobufTranslationImpl();
  private final CompactFrameTranslation compact = new CompactFrameTranslation();

  @Test
  void fetchResponsesReadBackAsAvaticasDoInFewerBytes() throws Exception {
    Service.FetchResponse fetch = new Service.FetchResponse(frame(), false, true, SERVER);

    byte[] ours = compact.serializeResponse(fetch);
    byte[] theirs = avatica.serializeResponse(fetch);

    Service.FetchResponse read = (Service.FetchResponse) avatica.parseResponse(ours);
    Service.FetchResponse expected = (Service.FetchResponse) avatica.parseResponse(theirs);
    assertThat(rows(read.frame)).isEqualTo(rows(expected.frame)).hasSize(4);
    assertThat(read.frame.offset).isEqualTo(200L);
    assertThat(read.frame.done).isFalse();
    assertThat(read.missingStatement).isFalse();
    assertThat(read.missingResults).isTrue();
    assertThat(read.rpcMetadata.serverAddress).isEqualTo("gw:8765");
    assertThat(ours.length).isLessThan(theirs.length * 3 / 4);
  }

  @Test
  void executeResponsesKeepSignatureCountsAndEveryResultsFrame() throws Exception {
    Meta.Signature signature = new Meta.Signature(
        List.of(ColumnMetaData.dummy(ColumnMetaData.scalar(java.sql.Types.BIGINT, "BIGINT", ColumnMetaData.Rep.PRIMITIVE_LONG), false)),
        "SELECT 1", List.of(), null, Meta.CursorFactory.LIST, Meta.StatementType.SELECT);
    Service.ExecuteResponse execute = new Service.ExecuteResponse(List.of(
        new Service.ResultSetResponse("c1", 7, true, signature, frame(), -1, SERVER),
        new Service.ResultSetResponse("c1", 8, false, null, null, 3, SERVER)), false, SERVER);

    Service.ExecuteResponse read = (Service.ExecuteResponse) avatica.parseResponse(compact.serializeResponse(execute));
    Service.ExecuteResponse expected = (Service.ExecuteResponse) avatica.parseResponse(avatica.serializeResponse(execute));

    assertThat(read.results).hasSize(2);
    assertThat(rows(read.results.get(0).firstFrame)).isEqualTo(rows(expected.results.get(0).firstFrame));
    assertThat(read.results.get(0).signature).isEqualTo(expected.results.get(0).signature);
    assertThat(read.results.get(0).statementId).isEqualTo(7);
    assertThat(read.results.get(0).ownStatement).isTrue();
    assertThat(read.results.get(1).firstFrame).isNull();
    assertThat(read.results.get(1).updateCount).isEqualTo(3L);
    assertThat(read.rpcMetadata.serverAddress).isEqualTo("gw:8765");
  }

  @Test
  void otherResponsesAreAvaticasOwn() throws Exception {
    Service.CloseStatementResponse close = new Service.CloseStatementResponse(SERVER);
    Service.FetchResponse noFrame = new Service.FetchResponse(null, true, false, SERVER);

    assertThat(compact.serializeResponse(close)).isEqualTo(avatica.serializeResponse(close));
    assertThat(compact.serializeResponse(noFrame)).isEqualTo(avatica.serializeResponse(noFrame));
  }

  @Test
  void eachValueIsWrittenOnceAsTheScalarOrArrayValue() {
    Common.Frame proto = CompactFrameTranslation.toProto(frame());

    for (Common.Row row : proto.getRowsList()) {
      for (Common.ColumnValue column : row.getValueList()) {
        assertThat(column.getValueCount()).isZero();
        assertThat(column.hasScalarValue()).isNotEqualTo(column.getHasArrayValue());
      }
    }
  }

  /** Every kind of value the engine puts in a frame: see {@code QueryCursor}. */
  private static Frame frame() {
    List<Object> rows = new ArrayList<>();
    rows.add(new Object[] {
        42L, 7, (short) 3, (byte) -1, true, 0.25d, 1.5f, new BigDecimal("-1234.50"), "Zoë ✓",
        new byte[] {1, 2, 3}, 1_714_000_123_456L, 19_800, 3_600_000});
    rows.add(Arrays.asList(
        null, null, null, null, false, null, null, null, "", new byte[0], -1L, -3, 0));
    rows.add(null); // skipped, as Avatica skips it
    rows.add(Arrays.asList(Long.MIN_VALUE, Integer.MAX_VALUE, Short.MIN_VALUE, Byte.MAX_VALUE, null,
        Double.NaN, Float.NEGATIVE_INFINITY, new BigDecimal("0.07"), "x", null, null, null, null));
    rows.add(new Object[] {List.of(1L, 2L), List.of("a", "b"), List.of(), null, null, null, null, null,
        null, null, null, null, null});
    return new Frame(200, false, rows);
  }

  private static List<List<Object>> rows(Frame frame) {
    List<List<Object>> rows = new ArrayList<>();
    for (Object row : frame.rows) {
      List<Object> values = new ArrayList<>();
      for (Object value : (List<?>) row) {
        values.add(value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
      }
      rows.add(values);
    }
    return rows;
  }
}
