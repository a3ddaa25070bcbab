package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a column's value is masked. Each mask renders as a SQL expression over the column (in
 * Calcite's SQL, using the {@code SLUICE_*} mask functions that every dialect renders natively), so
 * the warehouse computes the masked value and never returns the clear one.
 */
public sealed interface Mask {
  /** The SQL function every dialect renders as SHA-256 of the UTF-8 bytes, in lower-case hex. */
  String SHA256_HEX = "SLUICE_SHA256_HEX";

  /** The masked value of {@code value}, a SQL expression of the column's type. */
  String apply(String value);

  /** How restrictive the mask is: a lower rank reveals more (used to pick the least-masked grant). */
  int rank();

  /** sha256 hex of the trimmed, lower-cased value, optionally salted (salt prepended). */
  record Hash(Optional<String> salt) implements Mask {
    public Hash {
      requireNonNull(salt, "salt is null");
    }

    @Override
    public String apply(String value) {
      String normalized = "LOWER(TRIM(CAST(" + value + " AS VARCHAR)))";
      return SHA256_HEX + "(" + salt.map(s -> literal(s) + " || " + normalized).orElse(normalized) + ")";
    }

    @Override
    public int rank() {
      return 4;
    }

    @Override
    public String toString() {
      return salt.isPresent() ? "hash(salted)" : "hash";
    }
  }

  /** A constant in place of every non-null value. */
  record Redact(String replacement) implements Mask {
    public Redact {
      requireNonNull(replacement, "replacement is null");
    }

    @Override
    public String apply(String value) {
      return "CASE WHEN " + value + " IS NULL THEN NULL ELSE " + literal(replacement) + " END";
    }

    @Override
    public int rank() {
      return 5;
    }

    @Override
    public String toString() {
      return "redact";
    }
  }

  /** NULL of the column's type. */
  record NullMask() implements Mask {
    @Override
    public String apply(String value) {
      return "CASE WHEN 1 = 0 THEN " + value + " END";
    }

    @Override
    public int rank() {
      return 6;
    }

    @Override
    public String toString() {
      return "null";
    }
  }

  /** Keeps the first and last characters and replaces the rest by {@code ***}. */
  record Partial(int keepFirst, int keepLast) implements Mask {
    public Partial {
      if (keepFirst < 0 || keepLast < 0) {
        throw new IllegalArgumentException("partial() keeps a non-negative number of characters");
      }
    }

    @Override
    public String apply(String value) {
      String text = "CAST(" + value + " AS VARCHAR)";
      String head = keepFirst == 0 ? "''" : "SUBSTRING(" + text + " FROM 1 FOR " + keepFirst + ")";
      String tail =
          keepLast == 0
              ? "''"
              : "SUBSTRING(" + text + " FROM CHAR_LENGTH(" + text + ") - " + (keepLast - 1) + ")";
      // Values too short to hide anything are hidden entirely.
      return "CASE WHEN " + value + " IS NULL THEN NULL WHEN CHAR_LENGTH(" + text + ") <= "
          + (keepFirst + keepLast) + " THEN '***' ELSE " + head + " || '***' || " + tail + " END";
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public String toString() {
      return "partial(" + keepFirst + ", " + keepLast + ")";
    }
  }

  /** Only the domain of an e-mail address: {@code ***@example.org}. */
  record EmailDomain() implements Mask {
    @Override
    public String apply(String value) {
      String text = "CAST(" + value + " AS VARCHAR)";
      return "CASE WHEN " + value + " IS NULL THEN NULL ELSE '***@' || LOWER(TRIM(SUBSTRING(" + text
          + " FROM POSITION('@' IN " + text + ") + 1))) END";
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public String toString() {
      return "email_domain";
    }
  }

  /** Dates and timestamps truncated to January 1st of their year. */
  record Year() implements Mask {
    @Override
    public String apply(String value) {
      return "CAST(FLOOR(" + value + " TO YEAR) AS DATE)";
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public String toString() {
      return "year";
    }
  }

  /** Numbers rounded to {@code digits} decimal places (negative: tens, hundreds, ...). */
  record Round(int digits) implements Mask {
    @Override
    public String apply(String value) {
      return "ROUND(" + value + ", " + digits + ")";
    }

    @Override
    public int rank() {
      return 1;
    }

    @Override
    public String toString() {
      return "round(" + digits + ")";
    }
  }

  /** Numbers replaced by the lower bound of their bucket of {@code width}. */
  record Bucket(BigDecimal width) implements Mask {
    public Bucket {
      requireNonNull(width, "width is null");
      if (width.signum() <= 0) {
        throw new IllegalArgumentException("bucket() needs a positive width");
      }
    }

    @Override
    public String apply(String value) {
      return "FLOOR(" + value + " / " + width.toPlainString() + ") * " + width.toPlainString();
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public String toString() {
      return "bucket(" + width.toPlainString() + ")";
    }
  }

  /**
   * Any SQL expression over the table's columns; {@code value} in it stands for the masked column
   * itself (so one expression can serve several columns).
   */
  record Expression(String sql) implements Mask {
    private static final Pattern VALUE = Pattern.compile("(?i)(?<![A-Za-z0-9_\"])value(?![A-Za-z0-9_\"])");

    public Expression {
      requireNonNull(sql, "sql is null");
    }

    @Override
    public String apply(String value) {
      return "(" + VALUE.matcher(sql).replaceAll(Matcher.quoteReplacement(value)) + ")";
    }

    @Override
    public int rank() {
      return 3;
    }

    @Override
    public String toString() {
      return "expression";
    }
  }

  /**
   * Parses a mask specification: {@code hash}, {@code redact}, {@code redact('n/a')}, {@code null},
   * {@code partial(1, 0)}, {@code email_domain}, {@code year}, {@code round(2)}, {@code bucket(100)}.
   * Expression masks and salts come from the policy file's other keys, not from this string.
   */
  static Mask parse(String spec) {
    requireNonNull(spec, "spec is null");
    Matcher call = Pattern.compile("\\s*([a-z_]+)\\s*(?:\\((.*)\\))?\\s*").matcher(spec.toLowerCase(Locale.ROOT));
    if (!call.matches()) {
      throw new IllegalArgumentException("unknown mask '" + spec + "'" + KINDS);
    }
    String kind = call.group(1);
    String[] args = call.group(2) == null || call.group(2).isBlank() ? new String[0] : call.group(2).split(",");
    try {
      return switch (kind) {
        case "hash" -> {
          arity(kind, args, 0);
          yield new Hash(Optional.empty());
        }
        case "redact" -> {
          if (args.length > 1) {
            throw new IllegalArgumentException("redact takes at most one argument");
          }
          yield new Redact(args.length == 0 ? "***" : unquote(spec.substring(spec.indexOf('(') + 1, spec.lastIndexOf(')'))));
        }
        case "null" -> {
          arity(kind, args, 0);
          yield new NullMask();
        }
        case "partial" -> {
          arity(kind, args, 2);
          yield new Partial(Integer.parseInt(args[0].trim()), Integer.parseInt(args[1].trim()));
        }
        case "email_domain" -> {
          arity(kind, args, 0);
          yield new EmailDomain();
        }
        case "year" -> {
          arity(kind, args, 0);
          yield new Year();
        }
        case "round" -> {
          arity(kind, args, 1);
          yield new Round(Integer.parseInt(args[0].trim()));
        }
        case "bucket" -> {
          arity(kind, args, 1);
          yield new Bucket(new BigDecimal(args[0].trim()));
        }
        default -> throw new IllegalArgumentException("unknown mask '" + spec + "'" + KINDS);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("mask '" + spec + "' needs numeric arguments");
    }
  }

  String KINDS =
      " (expected one of hash, redact, redact('text'), null, partial(first, last), email_domain, year,"
          + " round(digits), bucket(width), or an expression)";

  private static void arity(String kind, String[] args, int expected) {
    if (args.length != expected) {
      throw new IllegalArgumentException(
          kind + " takes " + expected + " argument" + (expected == 1 ? "" : "s") + ", got " + args.length);
    }
  }

  private static String unquote(String text) {
    String trimmed = text.trim();
    if (trimmed.length() >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) {
      return trimmed.substring(1, trimmed.length() - 1).replace("''", "'");
    }
    throw new IllegalArgumentException("redact takes a quoted text, e.g. redact('n/a')");
  }

  /** A SQL string literal, quotes doubled, for values that come from configuration or users. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
