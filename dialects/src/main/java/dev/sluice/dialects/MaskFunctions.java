package dev.sluice.dialects;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.linq4j.function.Strict;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * The SQL functions column masks are written with, beyond standard SQL: each dialect renders them
 * as the warehouse's native equivalent, and Calcite runs them itself (through the public static
 * methods below) when it evaluates part of a plan in the gateway.
 */
public final class MaskFunctions {
  /** The name masks call the hash function by (the policy model writes it as a plain string). */
  public static final String SHA256_HEX_NAME = "SLUICE_SHA256_HEX";

  /**
   * {@code SLUICE_SHA256_HEX(text)}: the SHA-256 of the UTF-8 bytes of {@code text}, as 64
   * lower-case hexadecimal digits; NULL for NULL.
   */
  public static final SqlFunction SHA256_HEX =
      new SqlUserDefinedFunction(
          new SqlIdentifier(SHA256_HEX_NAME, SqlParserPos.ZERO),
          SqlKind.OTHER_FUNCTION,
          ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE),
          InferTypes.VARCHAR_1024,
          OperandTypes.operandMetadata(
              List.of(SqlTypeFamily.CHARACTER),
              typeFactory -> List.of(typeFactory.createSqlType(SqlTypeName.VARCHAR)),
              ordinal -> "text",
              ordinal -> false),
          // The implementation Calcite's enumerable code generator calls for this function.
          ScalarFunctionImpl.create(MaskFunctions.class, "sha256Hex"));

  /** The mask functions, to chain with the standard operator table when validating SQL. */
  public static final SqlOperatorTable OPERATORS = SqlOperatorTables.of(SHA256_HEX);

  private MaskFunctions() {}

  /** Whether {@code call} calls {@link #SHA256_HEX}, validated or still unresolved after parsing. */
  public static boolean isSha256Hex(SqlCall call) {
    return call.getOperator() == SHA256_HEX
        || (call.getKind() == SqlKind.OTHER_FUNCTION
            && call.getOperator().getName().toUpperCase(Locale.ROOT).equals(SHA256_HEX_NAME));
  }

  /** The Java implementation of {@link #SHA256_HEX}; strict, so Calcite never passes it NULL. */
  @Strict
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
