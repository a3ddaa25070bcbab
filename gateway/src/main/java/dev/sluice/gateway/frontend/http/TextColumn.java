package dev.sluice.gateway.frontend.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Base64;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One Arrow column of a result as the text formats (JSON and CSV) write it: integers and decimals
 * as exact numbers, dates as ISO-8601 ({@code 2025-03-01}), times and timestamps as ISO-8601
 * with all six fractional digits ({@code 2025-03-01T09:30:00.123456}, zoned ones with {@code Z}),
 * booleans as {@code true}/{@code false}, binary as Base64.
 */
abstract class TextColumn {
  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
          .toFormatter();
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .append(TIME)
          .toFormatter();

  private final FieldVector vector;

  private TextColumn(FieldVector vector) {
    this.vector = vector;
  }

  final boolean isNull(int row) {
    return vector.isNull(row);
  }

  /** Writes the non-null value at {@code row} as a JSON value. */
  void json(JsonGenerator out, int row) throws IOException {
    out.writeString(text(row));
  }

  /** The non-null value at {@code row} as text, unquoted. */
  abstract String text(int row);

  static TextColumn of(FieldVector vector) {
    if (vector instanceof BitVector v) {
      return new TextColumn(v) {
        @Override
        void json(JsonGenerator out, int row) throws IOException {
          out.writeBoolean(v.get(row) != 0);
        }

        @Override
        String text(int row) {
          return v.get(row) != 0 ? "true" : "false";
        }
      };
    }
    if (vector instanceof BaseIntVector v) {
      return new TextColumn(vector) {
        @Override
        void json(JsonGenerator out, int row) throws IOException {
          out.writeNumber(v.getValueAsLong(row));
        }

        @Override
        String text(int row) {
          return Long.toString(v.getValueAsLong(row));
        }
      };
    }
    if (vector instanceof Float8Vector v) {
      return new TextColumn(v) {
        @Override
        void json(JsonGenerator out, int row) throws IOException {
          out.writeNumber(v.get(row));
        }

        @Override
        String text(int row) {
          return Double.toString(v.get(row));
        }
      };
    }
    if (vector instanceof Float4Vector v) {
      return new TextColumn(v) {
        @Override
        void json(JsonGenerator out, int row) throws IOException {
          out.writeNumber(v.get(row));
        }

        @Override
        String text(int row) {
          return Float.toString(v.get(row));
        }
      };
    }
    if (vector instanceof DecimalVector v) {
      return new TextColumn(v) {
        @Override
        void json(JsonGenerator out, int row) throws IOException {
          // Written as plain digits with the column's scale (the generator is set up for it).
          out.writeNumber(v.getObject(row));
        }

        @Override
        String text(int row) {
          BigDecimal value = v.getObject(row);
          return value.toPlainString();
        }
      };
    }
    if (vector instanceof VarCharVector v) {
      return new TextColumn(v) {
        @Override
        void json(JsonGenerator out, int row) throws IOException {
          byte[] utf8 = v.get(row);
          out.writeUTF8String(utf8, 0, utf8.length);
        }

        @Override
        String text(int row) {
          return new String(v.get(row), StandardCharsets.UTF_8);
        }
      };
    }
    if (vector instanceof VarBinaryVector v) {
      return new TextColumn(v) {
        @Override
        String text(int row) {
          return Base64.getEncoder().encodeToString(v.get(row));
        }
      };
    }
    if (vector instanceof DateDayVector v) {
      return new TextColumn(v) {
        @Override
        String text(int row) {
          return LocalDate.ofEpochDay(v.get(row)).toString();
        }
      };
    }
    if (vector instanceof TimeMicroVector v) {
      return new TextColumn(v) {
        @Override
        String text(int row) {
          return TIME.format(LocalTime.ofNanoOfDay(v.get(row) * 1_000L));
        }
      };
    }
    if (vector instanceof TimeStampMicroTZVector v) {
      return new TextColumn(v) {
        @Override
        String text(int row) {
          return TIMESTAMP.format(localDateTime(v.get(row))) + "Z";
        }
      };
    }
    if (vector instanceof TimeStampMicroVector v) {
      return new TextColumn(v) {
        @Override
        String text(int row) {
          return TIMESTAMP.format(localDateTime(v.get(row)));
        }
      };
    }
    return new TextColumn(vector) {
      @Override
      String text(int row) {
        return String.valueOf(vector.getObject(row));
      }
    };
  }

  private static LocalDateTime localDateTime(long epochMicros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L),
        (int) Math.floorMod(epochMicros, 1_000_000L) * 1_000,
        ZoneOffset.UTC);
  }
}
