package dev.sluice.dialects;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * The SQL functions column masks are written with, beyond standard SQL: each dialect renders them
 * as the warehouse's native equivalent. The gateway never evaluates them itself: a mask computed
 * in the gateway would mean the clear value left the warehouse.
 */
public final class MaskFunctions {
  /** The name masks call the hash function by (the policy model writes it as a plain string). */
  public static final String SHA256_HEX_NAME = "SLUICE_SHA256_HEX";

  /**
   * {@code SLUICE_SHA256_HEX(text)}: the SHA-256 of the UTF-8 bytes of {@code text}, as 64
   * lower-case hexadecimal digits; NULL for NULL.
   */
  public static final SqlFunction SHA256_HEX =
      new SqlFunction(
          SHA256_HEX_NAME,
          SqlKind.OTHER_FUNCTION,
          ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE),
          InferTypes.VARCHAR_1024,
          OperandTypes.CHARACTER,
          // Not a user-defined function: Calcite's JDBC rules refuse to push those down, and a
          // mask must always be computed by the warehouse. The gateway has no implementation of
          // its own on purpose, so a plan that would compute a mask in the gateway cannot run.
          SqlFunctionCategory.STRING);

  /** The name of {@link #MASKED}, the barrier every masked value is wrapped in. */
  public static final String MASKED_NAME = "SLUICE_MASKED";

  /**
   * {@code SLUICE_MASKED(x)}: {@code x} itself, rendered by every dialect as just {@code (x)}. It
   * marks a masked value so that only a warehouse can compute it: the gateway has no
   * implementation, so a plan that would evaluate a mask in the gateway (after fetching the clear
   * value) fails instead of running. Declared non-deterministic so the planner never tries to
   * constant-fold it.
   */
  public static final SqlFunction MASKED =
      new SqlFunction(
          MASKED_NAME,
          SqlKind.OTHER_FUNCTION,
          ReturnTypes.ARG0,
          null,
          OperandTypes.ANY,
          SqlFunctionCategory.SYSTEM) {
        @Override
        public boolean isDeterministic() {
          return false;
        }
      };

  /** The mask functions, to chain with the standard operator table when validating SQL. */
  public static final SqlOperatorTable OPERATORS = SqlOperatorTables.of(SHA256_HEX, MASKED);

  private MaskFunctions() {}

  /** Whether {@code call} calls {@link #SHA256_HEX}, validated or still unresolved after parsing. */
  public static boolean isSha256Hex(SqlCall call) {
    return call.getOperator() == SHA256_HEX
        || (call.getKind() == SqlKind.OTHER_FUNCTION
            && call.getOperator().getName().toUpperCase(Locale.ROOT).equals(SHA256_HEX_NAME));
  }

  /**
   * Renders {@link #MASKED} as its parenthesized operand and returns true, or returns false for
   * any other call; every dialect calls this first in {@code unparseCall}.
   */
  public static boolean unparseMasked(SqlWriter writer, SqlCall call) {
    if (!call.getOperator().getName().equalsIgnoreCase(MASKED_NAME)) {
      return false;
    }
    SqlWriter.Frame frame = writer.startList("(", ")");
    call.operand(0).unparse(writer, 0, 0);
    writer.endList(frame);
    return true;
  }

  /** SHA-256 hex in Java, the reference the warehouses' renderings are tested against. */
  public static String sha256Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (see MessageDigest's class documentation).
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
