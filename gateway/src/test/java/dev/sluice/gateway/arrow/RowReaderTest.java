package dev.sluice.gateway.arrow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A column reader gives, value for value, what the general conversion gives ({@link RowValues#of}
 * of {@link ArrowValues#read}): nulls, negative timestamps (before 1970, rounded down to the
 * millisecond), decimals with their scale, text beyond ASCII, and types without a shortcut.
 */
class RowReaderTest {
  private static final SqlTypeFactoryImpl TYPES = new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT);

  private final BufferAllocator allocator = new RootAllocator();
  private final List<FieldVector> vectors = new ArrayList<>();

  @AfterEach
  void free() {
    vectors.forEach(FieldVector::close);
    allocator.close();
  }

  @Test
  void integersFloatsAndBooleans() {
    BigIntVector bigint = vector(new BigIntVector("b", allocator), 3);
    bigint.set(0, Long.MIN_VALUE);
    bigint.set(2, 42L);
    IntVector integer = vector(new IntVector("i", allocator), 3);
    integer.set(1, -7);
    SmallIntVector small = vector(new SmallIntVector("s", allocator), 3);
    small.set(0, (short) 300);
    TinyIntVector tiny = vector(new TinyIntVector("t", allocator), 3);
    tiny.set(2, (byte) -1);
    Float8Vector dbl = vector(new Float8Vector("d", allocator), 3);
    dbl.set(0, 0.25);
    Float4Vector real = vector(new Float4Vector("r", allocator), 3);
    real.set(1, 1.5f);
    BitVector bool = vector(new BitVector("x", allocator), 3);
    bool.set(0, 1);
    bool.set(1, 0);

    assertSameAsGeneral(SqlTypeName.BIGINT, bigint, Long.MIN_VALUE, null, 42L);
    assertSameAsGeneral(SqlTypeName.INTEGER, integer, null, -7, null);
    assertSameAsGeneral(SqlTypeName.SMALLINT, small, (short) 300, null, null);
    assertSameAsGeneral(SqlTypeName.TINYINT, tiny, null, null, (byte) -1);
    assertSameAsGeneral(SqlTypeName.DOUBLE, dbl, 0.25, null, null);
    assertSameAsGeneral(SqlTypeName.REAL, real, null, 1.5f, null);
    assertSameAsGeneral(SqlTypeName.BOOLEAN, bool, true, false, null);
  }

  @Test
  void timestampsAreEpochMillisecondsRoundedDown() {
    TimeStampMicroVector timestamps = vector(new TimeStampMicroVector("ts", allocator), 4);
    timestamps.set(0, 1_714_000_123_456_789L);
    timestamps.set(1, -1L); // a microsecond before 1970: the millisecond before, not 0
    timestamps.set(2, -1_500L);

    assertSameAsGeneral(SqlTypeName.TIMESTAMP, timestamps, 1_714_000_123_456L, -1L, -2L, null);
  }

  @Test
  void decimalsKeepTheirScaleAndTextIsUtf8() {
    DecimalVector decimals = vector(new DecimalVector("m", allocator, 12, 2), 3);
    decimals.set(0, new BigDecimal("-1234.50"));
    decimals.set(2, new BigDecimal("0.07"));
    VarCharVector text = vector(new VarCharVector("v", allocator), 3);
    text.set(0, "Zoë Ünal ✓".getBytes(UTF_8));
    text.set(1, new byte[0]);

    assertSameAsGeneral(SqlTypeName.DECIMAL, decimals, new BigDecimal("-1234.50"), null, new BigDecimal("0.07"));
    assertSameAsGeneral(SqlTypeName.VARCHAR, text, "Zoë Ünal ✓", "", null);
  }

  @Test
  void typesWithoutAShortcutGoTheGeneralWay() {
    DateDayVector dates = vector(new DateDayVector("d", allocator), 2);
    dates.set(0, -3);
    TimeStampMicroTZVector zoned = vector(new TimeStampMicroTZVector("z", allocator, "UTC"), 2);
    zoned.set(1, 1_500L);
    // A BIGINT column that DuckDB returned as INTEGER (the vector decides nothing by itself).
    IntVector widened = vector(new IntVector("w", allocator), 2);
    widened.set(0, 5);

    assertSameAsGeneral(SqlTypeName.DATE, dates, -3, null);
    assertSameAsGeneral(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, zoned, null, 1L);
    assertSameAsGeneral(SqlTypeName.BIGINT, widened, 5L, null);
  }

  private void assertSameAsGeneral(SqlTypeName typeName, FieldVector vector, Object... expected) {
    RelDataType type = typeName == SqlTypeName.DECIMAL
        ? TYPES.createSqlType(typeName, 12, 2)
        : TYPES.createSqlType(typeName);
    RowReader reader = RowReader.of(type, vector);
    for (int i = 0; i < expected.length; i++) {
      Object general = RowValues.of(type, ArrowValues.read(vector, i));
      assertThat(reader.read(i)).as("%s row %d", typeName, i).isEqualTo(general).isEqualTo(expected[i]);
    }
  }

  private <V extends FieldVector> V vector(V vector, int rows) {
    vectors.add(vector);
    vector.setInitialCapacity(rows);
    vector.allocateNew();
    vector.setValueCount(rows);
    return vector;
  }
}
