package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.catalog.Governance;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.demo.DemoDataGenerator;
import dev.sluice.gateway.engine.QueryCursor;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.gateway.engine.QueryPlanner;
import dev.sluice.gateway.testing.Corpus;
import dev.sluice.policies.Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cost of the minimum group size: for every corpus query the aggregation-only analyst may run
 * (customer-level ones are refused), the median time to plan it without the plan cache and to run
 * it to its last row, as {@code ana} (floor of 25) and as {@code admin} (no floor), in-process
 * through the engine, so protocols do not blur the difference. Prints per-query and total ratios
 * and writes them to bench/target/floor.json.
 *
 * <p>Options: {@code --customers N} (default 100,000), {@code --iterations N} per query and user
 * (default 15, after 3 warm-up runs).
 */
public final class FloorHarness {
  private static final Principal ANA = new Principal("ana", Set.of("analyst"), Map.of());
  private static final Principal ADMIN = new Principal("admin", Set.of("admin"), Map.of());

  private record Timing(double planningMs, double executionMs) {}

  public static void main(String[] args) throws Exception {
    long customers = 100_000;
    int iterations = 15;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--customers" -> customers = Long.parseLong(args[i + 1]);
        case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; options: --customers N --iterations N");
      }
    }
    Path data = Path.of("bench", "target", "floor-demo").toAbsolutePath();
    new DemoDataGenerator(data, customers, 42).generate();
    GatewayConfig config = Gateways.config(
        ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", data.toString()))));
    // The audit log costs both users the same fsync per query; without it the floor stands out.
    config = config.withAudit(config.audit().withEnabled(false));
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode();
    report.put("customers", customers).put("iterations", iterations).put("min_group_size", 25);
    ArrayNode perQuery = report.putArray("queries");
    try (GatewayServer server = new GatewayServer(config)) {
      server.start();
      Governance governance = server.engine().governance();
      QueryPlanner planner = new QueryPlanner(server.engine().catalog());
      double anaPlanning = 0;
      double adminPlanning = 0;
      double anaExecution = 0;
      double adminExecution = 0;
      int refused = 0;
      System.out.printf("%-38s %12s %12s %7s %12s %12s %7s%n",
          "query (ana allowed)", "plan admin", "plan ana", "ratio", "run admin", "run ana", "ratio");
      for (Corpus.Query query : Corpus.load()) {
        try {
          planner.plan(query.sql(), governance.viewOf(ANA));
        } catch (GatewayException e) {
          refused++;
          continue;
        }
        Timing admin = measure(server, planner, governance, ADMIN, query, iterations);
        Timing ana = measure(server, planner, governance, ANA, query, iterations);
        adminPlanning += admin.planningMs();
        anaPlanning += ana.planningMs();
        adminExecution += admin.executionMs();
        anaExecution += ana.executionMs();
        System.out.printf("%-38s %10.2fms %10.2fms %6.2fx %10.2fms %10.2fms %6.2fx%n", query.name(),
            admin.planningMs(), ana.planningMs(), ana.planningMs() / admin.planningMs(),
            admin.executionMs(), ana.executionMs(), ana.executionMs() / admin.executionMs());
        perQuery.addObject().put("name", query.name())
            .put("admin_planning_ms", admin.planningMs()).put("ana_planning_ms", ana.planningMs())
            .put("admin_execution_ms", admin.executionMs()).put("ana_execution_ms", ana.executionMs());
      }
      System.out.printf("%-38s %10.2fms %10.2fms %6.2fx %10.2fms %10.2fms %6.2fx%n", "total (sum of medians)",
          adminPlanning, anaPlanning, anaPlanning / adminPlanning,
          adminExecution, anaExecution, anaExecution / adminExecution);
      System.out.printf("%d corpus queries refused for ana (customer-level results), not measured%n", refused);
      report.put("refused_for_ana", refused)
          .put("planning_ratio", anaPlanning / adminPlanning)
          .put("execution_ratio", anaExecution / adminExecution);
    }
    Path output = Path.of("bench", "target", "floor.json");
    Files.createDirectories(output.getParent());
    json.writerWithDefaultPrettyPrinter().writeValue(output.toFile(), report);
    System.out.println("Wrote " + output);
  }

  private static Timing measure(
      GatewayServer server, QueryPlanner planner, Governance governance, Principal user, Corpus.Query query,
      int iterations) {
    double[] planning = new double[iterations];
    double[] execution = new double[iterations];
    QueryPlan plan = server.engine().prepare(user, query.sql());
    for (int i = -3; i < iterations; i++) {
      long started = System.nanoTime();
      planner.plan(query.sql(), governance.viewOf(user));
      long planned = System.nanoTime();
      try (QueryCursor cursor = server.engine().execute(user, plan, query.params(), Optional.empty())) {
        while (!cursor.fetch(10_000).isEmpty()) {
          // every row is read, as a client would
        }
      }
      long ran = System.nanoTime();
      if (i >= 0) {
        planning[i] = (planned - started) / 1e6;
        execution[i] = (ran - planned) / 1e6;
      }
    }
    return new Timing(Report.median(planning), Report.median(execution));
  }
}
