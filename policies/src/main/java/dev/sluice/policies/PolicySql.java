package dev.sluice.policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * Checks the syntax of the SQL a policy file holds (row filters, expression masks) with Calcite's
 * parser, so a typo fails when the file is loaded rather than on the first query. Whether the
 * columns and tables exist is the gateway's check, against its virtual schema.
 */
final class PolicySql {
  private static final SqlParser.Config PARSER = SqlParser.config()
      .withQuoting(Quoting.DOUBLE_QUOTE)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false);
  private static final Pattern USER_ATTRIBUTE = Pattern.compile("user\\.([A-Za-z_][A-Za-z0-9_]*)");

  private PolicySql() {}

  /**
   * Why the row filter {@code sql} is not a valid condition, or nothing if it is: malformed
   * {@code ${user.NAME}} references, then the parser's complaint.
   */
  static List<String> rowFilterProblems(String sql) {
    List<String> problems = new ArrayList<>();
    Optional<String> parseable = withAttributesAsLiterals(sql, problems);
    parseable.flatMap(PolicySql::syntaxProblem).ifPresent(problems::add);
    return problems;
  }

  /** Why the expression mask {@code sql} is not a valid expression, or empty if it is. */
  static Optional<String> maskExpressionProblem(String sql) {
    // The gateway inlines a mask as it is: nothing would substitute a user attribute in it.
    if (sql.contains("${")) {
      return Optional.of("${...} is not available in masks; user attributes belong in row filters");
    }
    // `value` is a reserved word in SQL, so check the expression as the gateway will inline it, with
    // an identifier in its place: "val" has the same length, which keeps the parser's column
    // numbers right once the parentheses apply() wraps around it are dropped.
    String inlined = new Mask.Expression(sql).apply("\"val\"");
    return syntaxProblem(inlined.substring(1, inlined.length() - 1));
  }

  /**
   * {@code sql} with every {@code ${user.NAME}} replaced by a string literal of the same length,
   * so that the parser's column numbers still point into the text as written.
   */
  private static Optional<String> withAttributesAsLiterals(String sql, List<String> problems) {
    StringBuilder result = new StringBuilder(sql.length());
    int index = 0;
    while (index < sql.length()) {
      int start = sql.indexOf("${", index);
      if (start < 0) {
        result.append(sql, index, sql.length());
        break;
      }
      int end = sql.indexOf('}', start + 2);
      if (end < 0) {
        problems.add("unterminated ${ (a user attribute is written ${user.NAME})");
        return Optional.empty();
      }
      String reference = sql.substring(start + 2, end);
      if (!USER_ATTRIBUTE.matcher(reference).matches()) {
        problems.add("malformed reference '${" + reference + "}' (expected ${user.NAME}, NAME a user attribute)");
      }
      result.append(sql, index, start).append('\'').append("x".repeat(end - start - 1)).append('\'');
      index = end + 1;
    }
    return Optional.of(result.toString());
  }

  private static Optional<String> syntaxProblem(String expression) {
    try {
      SqlParser.create(expression, PARSER).parseExpression();
      return Optional.empty();
    } catch (SqlParseException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").strip();
      return Optional.of("invalid SQL: " + (message.isEmpty() ? "cannot parse" : message));
    }
  }
}
