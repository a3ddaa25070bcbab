package dev.sluice.gateway.engine;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who runs which gateway query, written as a comment at the start of every statement pushed down
 * to a warehouse ({@code /* sluice query_id=... user=... *}{@code /}) so that a warehouse admin
 * reading their query history can find the query in the gateway's audit log. DuckDB's pooled data
 * source leaves the comment out (it runs in the gateway's process and keeps no query history), so
 * that its sessions can reuse what they prepared.
 */
public record QueryAttribution(String queryId, String user) {
  static final int MAX_USER_LENGTH = 64;
  /** Letters, digits and the punctuation of e-mail-like user names; nothing that can end a comment. */
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.@-]");

  public QueryAttribution {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(user, "user is null");
  }

  /** A new execution of {@code user}'s query, with a random id. */
  public static QueryAttribution newQuery(String user) {
    return new QueryAttribution(UUID.randomUUID().toString(), user);
  }

  /**
   * The user name reduced to characters that cannot close the comment or start anything else
   * ({@code *}, {@code /}, quotes, newlines, spaces all become {@code _}), at most 64 of them.
   */
  public static String sanitizedUser(String user) {
    String safe = UNSAFE.matcher(user).replaceAll("_");
    return safe.length() <= MAX_USER_LENGTH ? safe : safe.substring(0, MAX_USER_LENGTH);
  }

  public String comment() {
    // The id is a UUID the gateway made and the user is sanitized, so neither can end the
    // comment: this is the one piece of warehouse SQL not rendered by Calcite, and it is inert.
    return "/* sluice query_id=" + queryId + " user=" + sanitizedUser(user) + " */";
  }

  /** {@code sql} as the warehouse receives it: the attribution comment, then the statement. */
  public String attach(String sql) {
    requireNonNull(sql, "sql is null");
    return comment() + " " + sql;
  }
}
