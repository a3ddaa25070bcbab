package dev.sluice.gateway.cli;

import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the gateway: on a configuration file, or (without one) on the embedded demo warehouses. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start the gateway. Without --config it generates and serves the embedded demo.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "Gateway configuration (YAML).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "sluice-data",
      description = "Where the demo warehouses are generated (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Option(
      names = "--demo-customers",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Customers in the generated demo (default: ${DEFAULT-VALUE}).")
  long demoCustomers;

  @Option(
      names = "--demo-seed",
      paramLabel = "SEED",
      defaultValue = "42",
      description = "Seed of the generated demo data (default: ${DEFAULT-VALUE}).")
  long demoSeed;

  @Override
  public Integer call() throws Exception {
    GatewayConfig gatewayConfig;
    try {
      gatewayConfig = config == null ? demoConfig() : ConfigLoader.load(config, VariableResolver.environment());
    } catch (GatewayException e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (java.io.IOException | java.sql.SQLException e) {
      System.err.println("Sluice could not prepare the demo data in " + dataDirectory + ": " + e.getMessage());
      return 1;
    }
    GatewayServer server = new GatewayServer(gatewayConfig);
    try {
      server.start();
    } catch (GatewayException e) {
      System.err.println("Sluice could not start: " + e.getMessage());
      server.close();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "sluice-shutdown"));
    printWelcome(gatewayConfig, server);
    stopped.await();
    return 0;
  }

  private GatewayConfig demoConfig() throws java.io.IOException, java.sql.SQLException {
    Path directory = dataDirectory.toAbsolutePath().normalize();
    long started = System.nanoTime();
    System.out.printf("Preparing the demo warehouses (%,d customers) in %s ...%n", demoCustomers, directory);
    new DemoDataGenerator(directory, demoCustomers, demoSeed).generate();
    System.out.printf("Demo data ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return ConfigLoader.demo(
        VariableResolver.environment()
            .withDefaults(Map.of("SLUICE_DATA_DIR", directory.toString())));
  }

  private void printWelcome(GatewayConfig gatewayConfig, GatewayServer server) {
    String host = gatewayConfig.listeners().http().host();
    int port = server.httpPort();
    System.out.println();
    System.out.println("Sluice is running.");
    boolean tls = gatewayConfig.listeners().http().tls().isPresent();
    System.out.printf(
        "  Avatica JDBC: jdbc:avatica:remote:url=%s://%s:%d;serialization=protobuf;authentication=BASIC;avatica_user=USER;avatica_password=PASSWORD%s%n",
        tls ? "https" : "http", host, port, tls ? ";truststore=TRUSTSTORE.p12;truststore_password=PASSWORD" : "");
    if (gatewayConfig.listeners().flight().enabled()) {
      boolean flightTls = gatewayConfig.listeners().flight().tls().isPresent();
      System.out.printf(
          "  Flight SQL:   jdbc:arrow-flight-sql://%s:%d?useEncryption=%s&user=USER&password=PASSWORD%n",
          gatewayConfig.listeners().flight().host(), server.flightPort(), flightTls);
    }
    if (config == null) {
      System.out.println("  Demo users (password is <user>-demo): admin, max, mia, ana, act, sam");
      System.out.println("  Try:  ./sluice shell --user admin");
      System.out.println("        SELECT region, COUNT(*) FROM cdp.customers GROUP BY region;");
    }
    System.out.println("  Stop with Ctrl-C.");
  }
}
