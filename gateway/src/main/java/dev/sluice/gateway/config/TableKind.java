package dev.sluice.gateway.config;

import java.util.Locale;

/** The role a virtual table plays in the customer model, which decides the keys it must have. */
public enum TableKind {
  /** One row per customer; the table every customer-keyed table joins to. */
  CUSTOMER_BASE,
  /** At most one row per customer, such as scores or preferences. */
  USER_INFO,
  /** Many timestamped rows per customer, such as purchases or visits. */
  EVENT,
  /** Things that are not customers, such as products, keyed by their own id. */
  ENTITY;

  /** The spelling used in the configuration file, such as {@code customer_base}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean requiresCustomerKey() {
    return this != ENTITY;
  }

  public boolean requiresTimeColumn() {
    return this == EVENT;
  }
}
