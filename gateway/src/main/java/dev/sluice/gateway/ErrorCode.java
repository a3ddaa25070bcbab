package dev.sluice.gateway;

/** Every failure the gateway reports, with the SQLSTATE clients see and its category. */
public enum ErrorCode {
  SYNTAX_ERROR("42601", Category.USER_ERROR),
  UNKNOWN_OBJECT("42S02", Category.USER_ERROR),
  INVALID_QUERY("42000", Category.USER_ERROR),
  NOT_READ_ONLY("25006", Category.USER_ERROR),
  UNSUPPORTED("0A000", Category.USER_ERROR),
  INVALID_PARAMETER("22023", Category.USER_ERROR),
  NO_SUCH_STATEMENT("26000", Category.USER_ERROR),
  AUTHENTICATION_FAILED("28000", Category.POLICY_DENIED),
  ACCESS_DENIED("42501", Category.POLICY_DENIED),
  QUERY_CANCELED("57014", Category.USER_ERROR),
  QUERY_TIMEOUT("57014", Category.INSUFFICIENT_RESOURCES),
  RESOURCE_EXHAUSTED("53000", Category.INSUFFICIENT_RESOURCES),
  WAREHOUSE_UNAVAILABLE("08006", Category.WAREHOUSE),
  WAREHOUSE_ERROR("58000", Category.WAREHOUSE),
  CONFIGURATION_ERROR("F0000", Category.INTERNAL),
  INTERNAL_ERROR("XX000", Category.INTERNAL),
  // Last, because Avatica reports ordinal() + 1 as the vendor code of each error.
  /** The audit log cannot be written, so nothing may run (fail closed); SQLSTATE 58030 is I/O error. */
  AUDIT_UNAVAILABLE("58030", Category.INSUFFICIENT_RESOURCES);

  /** Who is at fault, which decides how frontends and metrics classify a failure. */
  public enum Category {
    USER_ERROR,
    POLICY_DENIED,
    INSUFFICIENT_RESOURCES,
    WAREHOUSE,
    INTERNAL
  }

  private final String sqlState;
  private final Category category;

  ErrorCode(String sqlState, Category category) {
    this.sqlState = sqlState;
    this.category = category;
  }

  public String sqlState() {
    return sqlState;
  }

  public Category category() {
    return category;
  }
}
