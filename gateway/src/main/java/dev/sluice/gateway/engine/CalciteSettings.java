package dev.sluice.gateway.engine;

/**
 * Calcite settings read from system properties when Calcite's classes load, so they are set before
 * any query is planned: from {@code sluice}'s main and when the gateway server class loads. An
 * explicit {@code -D} on the command line wins.
 */
public final class CalciteSettings {
  /**
   * Compiled code of plans the gateway runs itself (across warehouses, gateway tables), cached by
   * its source: planning the same query again (another user with the same policies, a plan-cache
   * eviction) skips Janino, 15-25% of planning in {@code bench/jmh}. Calcite's own cache; off by
   * default there.
   */
  static final String BINDABLE_CACHE = "calcite.bindable.cache.maxSize";
  static final String BINDABLE_CACHE_SIZE = "1000";

  private CalciteSettings() {}

  /** Sets the gateway's defaults for whatever is not set already. */
  public static void apply() {
    if (System.getProperty(BINDABLE_CACHE) == null) {
      System.setProperty(BINDABLE_CACHE, BINDABLE_CACHE_SIZE);
    }
  }
}
