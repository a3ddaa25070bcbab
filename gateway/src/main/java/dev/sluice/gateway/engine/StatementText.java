package dev.sluice.gateway.engine;

/** Lexical facts about raw SQL text that must be known even when it does not parse. */
final class StatementText {
  private StatementText() {}

  /**
   * Whether the text holds more than one statement: a semicolon outside literals, quoted
   * identifiers and comments, followed by anything but whitespace and comments.
   */
  static boolean hasSeveralStatements(String sql) {
    int i = 0;
    int n = sql.length();
    boolean sawTerminator = false;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (sawTerminator && c != ';') {
        return true;
      } else if (c == '\'' || c == '"') {
        i = skipQuoted(sql, i, c);
      } else if (c == ';') {
        sawTerminator = true;
        i++;
      } else {
        i++;
      }
    }
    return false;
  }

  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return i;
  }
}
