package dev.sluice.gateway.catalog;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.config.PoliciesConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.policies.PolicyException;
import dev.sluice.policies.PolicyFile;
import dev.sluice.policies.PolicySet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the policy file and keeps {@link Governance} in step with it: the file is checked for
 * changes on an interval and on request, a valid new version replaces the policies atomically, and
 * an invalid one is reported and changes nothing.
 */
public final class PolicySource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicySource.class);

  private final PoliciesConfig config;
  private final VariableResolver variables;
  private ScheduledExecutorService watcher;
  private volatile String lastText;

  public PolicySource(PoliciesConfig config, VariableResolver variables) {
    this.config = requireNonNull(config, "config is null");
    this.variables = requireNonNull(variables, "variables is null");
  }

  /** Reads and parses the policy file; without one, the empty policy set (nobody reads anything). */
  public PolicySet load() {
    if (config.file().isEmpty()) {
      LOG.warn("No policy file is configured (policies.file): no user can read any table");
      return new PolicySet(Map.of());
    }
    String text = read();
    PolicySet policies = parse(text);
    lastText = text;
    return policies;
  }

  private PolicySet parse(String text) {
    try {
      return PolicyFile.parse(text, config.file().orElseThrow(), name -> variables.resolve(name));
    } catch (PolicyException e) {
      throw new GatewayException(ErrorCode.CONFIGURATION_ERROR, e.getMessage(), e);
    }
  }

  private String read() {
    String location = config.file().orElseThrow();
    try {
      if (location.startsWith(PoliciesConfig.CLASSPATH_PREFIX)) {
        String resource = "/" + location.substring(PoliciesConfig.CLASSPATH_PREFIX.length()).replaceFirst("^/", "");
        try (InputStream in = PolicySource.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new IOException("no such resource " + resource);
          }
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(Path.of(location), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR, "Cannot read the policy file " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * Re-reads the file and, if it changed (or {@code force}) and is valid, replaces the policies.
   * Returns whether the policies were replaced; throws with every problem if the file is invalid
   * (the old policies stay).
   */
  public synchronized boolean reload(Governance governance, boolean force) {
    if (config.file().isEmpty()) {
      return false;
    }
    String text = read();
    if (!force && text.equals(lastText)) {
      return false;
    }
    PolicySet policies = parse(text);
    governance.replace(policies);
    lastText = text;
    LOG.info("Policies reloaded from {}", config.file().get());
    return true;
  }

  /** Starts checking the file for changes every {@code reload_interval}; classpath files never change. */
  public synchronized void watch(Governance governance) {
    if (watcher != null || config.file().isEmpty() || config.file().get().startsWith(PoliciesConfig.CLASSPATH_PREFIX)) {
      return;
    }
    watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sluice-policy-watcher");
      thread.setDaemon(true);
      return thread;
    });
    long interval = config.reloadInterval().toMillis();
    watcher.scheduleWithFixedDelay(() -> reloadQuietly(governance), interval, interval, TimeUnit.MILLISECONDS);
  }

  private void reloadQuietly(Governance governance) {
    try {
      reload(governance, false);
    } catch (GatewayException e) {
      LOG.error("The changed policy file was rejected; the previous policies stay in force. {}", e.getMessage());
      // Remember the rejected text so the same broken file is not reported every interval.
      lastText = readOrNull();
    } catch (RuntimeException e) {
      LOG.error("Checking the policy file failed; the previous policies stay in force", e);
    }
  }

  private String readOrNull() {
    try {
      return read();
    } catch (GatewayException e) {
      return null;
    }
  }

  public Optional<String> location() {
    return config.file();
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
      watcher = null;
    }
  }
}
