package dev.sluice.gateway.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Checks the SQL fragments of a configuration (column expressions and types) with Calcite's
 * parser, so a typo fails at start-up rather than on the first query that touches the column.
 */
final class SqlSyntax {
  private static final String CAST_PREFIX = "CAST(NULL AS ";
  private static final Pattern COLUMN = Pattern.compile("column (\\d+)");

  private SqlSyntax() {}

  /** Why {@code expression} is not a valid scalar SQL expression, or empty if it is. */
  static Optional<String> expressionProblem(String expression) {
    SqlNode node;
    try {
      node = SqlParser.create(expression, SqlParser.config()).parseExpression();
    } catch (SqlParseException e) {
      return Optional.of("invalid expression: " + firstLine(e.getMessage()));
    }
    // A column maps a row to a value; a subquery would reach tables the schema does not expose.
    return containsQuery(node)
        ? Optional.of("invalid expression: must not contain a query")
        : Optional.empty();
  }

  /** Why {@code type} is not a valid SQL type such as {@code DECIMAL(12,2)}, or empty if it is. */
  static Optional<String> typeProblem(String type) {
    SqlNode node;
    try {
      node = SqlParser.create(CAST_PREFIX + type + ")", SqlParser.config()).parseExpression();
    } catch (SqlParseException e) {
      return Optional.of("invalid type '" + type + "': " + shiftColumns(firstLine(e.getMessage())));
    }
    // Anything else parsed means the "type" closed the CAST early and added more SQL after it.
    if (node.getKind() != SqlKind.CAST
        || !(((SqlCall) node).operand(1) instanceof SqlDataTypeSpec spec)) {
      return Optional.of("invalid type '" + type + "'");
    }
    if (spec.getTypeNameSpec() instanceof SqlUserDefinedTypeNameSpec) {
      return Optional.of("unknown type '" + type + "'");
    }
    return Optional.empty();
  }

  private static boolean containsQuery(SqlNode node) {
    boolean[] found = {false};
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getKind().belongsTo(SqlKind.QUERY)) {
          found[0] = true;
          return null;
        }
        return super.visit(call);
      }
    });
    return found[0];
  }

  private static String firstLine(String message) {
    return message == null ? "cannot parse" : message.lines().findFirst().orElse("cannot parse").strip();
  }

  /** Makes the parser's column numbers count from the start of the type, not of the CAST around it. */
  private static String shiftColumns(String message) {
    Matcher matcher = COLUMN.matcher(message);
    StringBuilder shifted = new StringBuilder();
    while (matcher.find()) {
      int column = Math.max(1, Integer.parseInt(matcher.group(1)) - CAST_PREFIX.length());
      matcher.appendReplacement(shifted, "column " + column);
    }
    matcher.appendTail(shifted);
    return shifted.toString();
  }
}
