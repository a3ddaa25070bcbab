package dev.sluice.gateway.audit;

import dev.sluice.gateway.catalog.SqlSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Replaces every literal of a statement by {@code ?} ({@code audit.redact_literals}), so that
 * values a client wrote (an e-mail address, a customer id) stay out of the audit log. Done on
 * Calcite's parse tree and unparsed, never by pattern matching on the text: a quote inside a
 * string or a comment cannot fool it. Keywords that the parser holds as literals (TRIM's BOTH, a
 * time unit), NULL, TRUE and FALSE stay. A statement that does not parse has no redacted form.
 */
final class SqlRedaction {
  private static final SqlDialect DIALECT = CalciteSqlDialect.DEFAULT;

  private SqlRedaction() {}

  /**
   * {@code sql} with its literals replaced, read with the gateway's lenient settings: client SQL,
   * and also the SQL generated for warehouses, whose dialects are close enough to standard SQL for
   * the parse tree to find every literal.
   */
  static Optional<String> redact(String sql) {
    try {
      List<String> statements = new ArrayList<>();
      for (SqlNode statement : SqlParser.create(sql, SqlSettings.PARSER).parseStmtList()) {
        SqlNode redacted = statement.accept(new LiteralsToParameters());
        statements.add(redacted.toSqlString(DIALECT).getSql());
      }
      return statements.isEmpty() ? Optional.empty() : Optional.of(String.join(";\n", statements));
    } catch (SqlParseException | RuntimeException | AssertionError e) {
      return Optional.empty();
    }
  }

  private static final class LiteralsToParameters extends SqlShuttle {
    private int index;

    @Override
    public SqlNode visit(SqlLiteral literal) {
      SqlTypeName type = literal.getTypeName();
      // Symbols and booleans are also the parser's structure (NATURAL of a join, ROWS of a
      // window), which a placeholder would break; neither is a value a client needs kept private.
      if (type == SqlTypeName.SYMBOL || type == SqlTypeName.NULL || type == SqlTypeName.BOOLEAN) {
        return literal;
      }
      return new SqlDynamicParam(index++, literal.getParserPosition());
    }
  }
}
