package dev.sluice.gateway.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.Text;

/**
 * Writes Java values into one vector of the {@link ArrowTypeMapping}. Accepts the engine's row
 * representation ({@code DATE} as epoch days, {@code TIME} as milliseconds of the day,
 * {@code TIMESTAMP} as epoch milliseconds) as well as {@code java.time} values, which carry
 * microseconds, and any {@link Number} whose value fits the target exactly.
 */
public abstract class ValueWriter {
  private final FieldVector vector;

  private ValueWriter(FieldVector vector) {
    this.vector = vector;
  }

  public FieldVector vector() {
    return vector;
  }

  /** Writes {@code value} (null for SQL NULL) at {@code index}, growing the vector as needed. */
  public final void write(int index, Object value) {
    if (value == null) {
      vector.setNull(index);
    } else {
      writeValue(index, value);
    }
  }

  abstract void writeValue(int index, Object value);

  public static ValueWriter forVector(FieldVector vector) {
    if (vector instanceof BitVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, ((Boolean) value) ? 1 : 0);
        }
      };
    }
    if (vector instanceof TinyIntVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, (byte) exactLong(value, Byte.MIN_VALUE, Byte.MAX_VALUE));
        }
      };
    }
    if (vector instanceof SmallIntVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, (short) exactLong(value, Short.MIN_VALUE, Short.MAX_VALUE));
        }
      };
    }
    if (vector instanceof IntVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, (int) exactLong(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
      };
    }
    if (vector instanceof BigIntVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, exactLong(value, Long.MIN_VALUE, Long.MAX_VALUE));
        }
      };
    }
    if (vector instanceof Float4Vector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, ((Number) value).floatValue());
        }
      };
    }
    if (vector instanceof Float8Vector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, ((Number) value).doubleValue());
        }
      };
    }
    if (vector instanceof DecimalVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          BigDecimal decimal = decimal(value).setScale(v.getScale(), RoundingMode.HALF_UP);
          if (decimal.precision() > v.getPrecision()) {
            throw new IllegalArgumentException(
                "The value " + decimal + " does not fit DECIMAL(" + v.getPrecision() + ", " + v.getScale() + ")");
          }
          v.setSafe(index, decimal);
        }
      };
    }
    if (vector instanceof VarCharVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          if (value instanceof Text text) {
            v.setSafe(index, text.getBytes(), 0, (int) text.getLength());
          } else {
            v.setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
          }
        }
      };
    }
    if (vector instanceof VarBinaryVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, (byte[]) value);
        }
      };
    }
    if (vector instanceof DateDayVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, epochDay(value));
        }
      };
    }
    if (vector instanceof TimeMicroVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, microsOfDay(value));
        }
      };
    }
    if (vector instanceof TimeStampMicroTZVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, epochMicros(value));
        }
      };
    }
    if (vector instanceof TimeStampMicroVector v) {
      return new ValueWriter(v) {
        @Override
        void writeValue(int index, Object value) {
          v.setSafe(index, epochMicros(value));
        }
      };
    }
    throw new IllegalArgumentException("No Arrow writer for " + vector.getField());
  }

  static long exactLong(Object value, long min, long max) {
    long result;
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      result = ((Number) value).longValue();
    } else if (value instanceof BigDecimal decimal) {
      result = decimal.longValueExact();
    } else if (value instanceof BigInteger integer) {
      result = integer.longValueExact();
    } else if (value instanceof Number number) {
      double d = number.doubleValue();
      result = (long) d;
      if (result != d) {
        throw new ArithmeticException("The value " + value + " is not an integer");
      }
    } else if (value instanceof Boolean b) {
      result = b ? 1 : 0;
    } else {
      throw new IllegalArgumentException("Expected an integer, got " + value.getClass().getSimpleName());
    }
    if (result < min || result > max) {
      throw new ArithmeticException("The value " + value + " is out of range");
    }
    return result;
  }

  static BigDecimal decimal(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Number number) {
      return BigDecimal.valueOf(number.doubleValue());
    }
    return new BigDecimal(value.toString());
  }

  static int epochDay(Object value) {
    if (value instanceof Integer days) {
      return days;
    }
    if (value instanceof LocalDate date) {
      return (int) date.toEpochDay();
    }
    if (value instanceof java.sql.Date date) {
      return (int) date.toLocalDate().toEpochDay();
    }
    if (value instanceof LocalDateTime timestamp) {
      return (int) timestamp.toLocalDate().toEpochDay();
    }
    throw new IllegalArgumentException("Expected a date, got " + value.getClass().getSimpleName());
  }

  static long microsOfDay(Object value) {
    if (value instanceof Integer millis) {
      return millis * 1_000L;
    }
    if (value instanceof LocalTime time) {
      return time.toNanoOfDay() / 1_000L;
    }
    if (value instanceof java.sql.Time time) {
      return time.toLocalTime().toNanoOfDay() / 1_000L;
    }
    if (value instanceof LocalDateTime time) {
      return time.toLocalTime().toNanoOfDay() / 1_000L;
    }
    throw new IllegalArgumentException("Expected a time, got " + value.getClass().getSimpleName());
  }

  static long epochMicros(Object value) {
    if (value instanceof Long millis) {
      return Math.multiplyExact(millis, 1_000L);
    }
    if (value instanceof LocalDateTime timestamp) {
      return micros(timestamp.toInstant(ZoneOffset.UTC));
    }
    if (value instanceof Instant instant) {
      return micros(instant);
    }
    if (value instanceof OffsetDateTime timestamp) {
      return micros(timestamp.toInstant());
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return micros(timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC));
    }
    throw new IllegalArgumentException("Expected a timestamp, got " + value.getClass().getSimpleName());
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }
}
