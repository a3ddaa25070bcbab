package dev.sluice.gateway.config;

import java.util.Locale;

/** Whether the gateway may evaluate part of a query touching a warehouse ({@code warehouses.<name>.pushdown}). */
public enum PushdownMode {
  /** Queries must run whole in this warehouse; anything needing the gateway to join or compute is refused. */
  STRICT,
  /** The gateway evaluates what the warehouse cannot, such as joins with other warehouses (the default). */
  FEDERATED;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
