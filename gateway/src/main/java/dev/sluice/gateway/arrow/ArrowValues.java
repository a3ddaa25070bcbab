package dev.sluice.gateway.arrow;

import java.time.Instant;
import java.time.LocalTime;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.TimeStampSecTZVector;

/**
 * Reads one value of an Arrow vector as a Java value {@link ValueWriter} accepts without
 * ambiguity: {@code getObject} returns bare {@code Long}s for zoned timestamps and for times,
 * whose unit depends on the vector, so those become {@link Instant} and {@link LocalTime}.
 */
public final class ArrowValues {
  private ArrowValues() {}

  public static Object read(FieldVector vector, int index) {
    if (vector.isNull(index)) {
      return null;
    }
    if (vector instanceof TimeStampMicroTZVector v) {
      long micros = v.get(index);
      return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
    if (vector instanceof TimeStampMilliTZVector v) {
      return Instant.ofEpochMilli(v.get(index));
    }
    if (vector instanceof TimeStampNanoTZVector v) {
      long nanos = v.get(index);
      return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
    if (vector instanceof TimeStampSecTZVector v) {
      return Instant.ofEpochSecond(v.get(index));
    }
    if (vector instanceof TimeMicroVector v) {
      return LocalTime.ofNanoOfDay(v.get(index) * 1_000L);
    }
    if (vector instanceof TimeNanoVector v) {
      return LocalTime.ofNanoOfDay(v.get(index));
    }
    if (vector instanceof TimeSecVector v) {
      return LocalTime.ofSecondOfDay(v.get(index));
    }
    return vector.getObject(index);
  }
}
