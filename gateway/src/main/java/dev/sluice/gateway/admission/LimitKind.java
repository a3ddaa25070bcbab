package dev.sluice.gateway.admission;

import java.util.Locale;

/** Which kind of limit a query waited at or was refused by; a metric label. */
public enum LimitKind {
  GLOBAL,
  ROLE,
  USER,
  WAREHOUSE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
