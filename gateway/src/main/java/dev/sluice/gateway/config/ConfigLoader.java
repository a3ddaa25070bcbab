package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.policies.UserAccount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads the gateway's one YAML configuration file into validated records. Every problem in the
 * file is reported together, each with the key path where it occurs, in one {@link
 * GatewayException} with code {@link ErrorCode#CONFIGURATION_ERROR}.
 */
public final class ConfigLoader {
  /** The classpath location of the demo configuration. */
  public static final String DEMO_RESOURCE = "/dev/sluice/gateway/demo/demo.yaml";

  private static final List<String> TOP_LEVEL_KEYS =
      List.of("listeners", "auth", "engine", "warehouses", "schema", "users", "policies", "limits", "metrics", "audit");

  // The tree is walked by hand rather than data-bound because binding stops at the first error.
  // Duplicate keys fail the parse: silently keeping the last one would hide a mistake.
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ConfigLoader() {}

  public static GatewayConfig load(Path file, VariableResolver variables) {
    requireNonNull(file, "file is null");
    requireNonNull(variables, "variables is null");
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR, "Cannot read configuration " + file + ": " + e.getMessage(), e);
    }
    GatewayConfig config = parse(yaml, file.toString(), variables);
    // A relative policy file is found next to the configuration file, not in the working directory.
    return config.policies().file()
        .filter(policies -> !policies.startsWith(PoliciesConfig.CLASSPATH_PREFIX))
        .filter(policies -> !Path.of(policies).isAbsolute())
        .map(policies -> config.withPolicies(config.policies().withFile(
            file.toAbsolutePath().getParent().resolve(policies).normalize().toString())))
        .orElse(config);
  }

  /** The demo configuration shipped with the gateway; it needs {@code SLUICE_DATA_DIR}. */
  public static GatewayConfig demo(VariableResolver variables) {
    requireNonNull(variables, "variables is null");
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEMO_RESOURCE)) {
      if (in == null) {
        throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Demo configuration is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo.yaml", variables);
    } catch (IOException e) {
      throw new GatewayException(ErrorCode.INTERNAL_ERROR, "Cannot read the demo configuration", e);
    }
  }

  /**
   * Parses and validates {@code yaml}; {@code sourceName} names it in error messages and {@code
   * variables} provides the values of {@code ${NAME}} and {@code password_env}.
   */
  public static GatewayConfig parse(String yaml, String sourceName, VariableResolver variables) {
    requireNonNull(yaml, "yaml is null");
    requireNonNull(sourceName, "sourceName is null");
    requireNonNull(variables, "variables is null");
    ConfigReader reader = new ConfigReader(variables);
    Optional<GatewayConfig> config = bind(readTree(yaml, sourceName), reader);
    List<String> problems = reader.problems();
    if (!problems.isEmpty() || config.isEmpty()) {
      throw invalid(sourceName, problems);
    }
    return config.get();
  }

  private static ObjectNode readTree(String yaml, String sourceName) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw invalid(sourceName, List.of(syntaxProblem(e)));
    }
    // An empty document is an empty mapping, which then fails for its missing sections.
    return root instanceof ObjectNode object ? object : emptyOrReject(root, sourceName);
  }

  private static ObjectNode emptyOrReject(JsonNode root, String sourceName) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    throw invalid(sourceName, List.of("(top level): expected a mapping, got " + ConfigReader.describe(root)));
  }

  private static Optional<GatewayConfig> bind(ObjectNode root, ConfigReader reader) {
    reader.checkKeys(root, "", TOP_LEVEL_KEYS);
    ListenersConfig listeners = ListenersBinder.bind(root, reader);
    AuthConfig auth = AuthBinder.bind(root, reader);
    EngineConfig engine = EngineBinder.bind(root, reader);
    List<WarehouseConfig> warehouses = WarehousesBinder.bind(root, reader);
    Set<String> warehouseNames = WarehousesBinder.declaredNames(root);
    Optional<VirtualSchemaConfig> schema = VirtualSchemaBinder.bind(root, warehouseNames, reader);
    List<UserAccount> users = UsersBinder.bind(root, reader);
    PoliciesConfig policies = PoliciesBinder.bind(root, reader);
    Set<String> roles = users.stream().flatMap(user -> user.roles().stream()).collect(Collectors.toSet());
    LimitsConfig limits = LimitsBinder.bind(root, roles, reader);
    MetricsConfig metrics = MetricsBinder.bind(root, roles, reader);
    AuditConfig audit = AuditBinder.bind(root, reader);
    return schema.map(s -> new GatewayConfig(listeners, auth, engine, warehouses, s, users, policies, limits, metrics, audit));
  }

  private static String syntaxProblem(JsonProcessingException e) {
    // SnakeYAML's own message spans several lines and quotes the file; its parts read better.
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark mark = yaml.getProblemMark();
      String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
      return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": "
          + yaml.getProblem() + context;
    }
    JsonLocation location = e.getLocation();
    String where = location == null || location.getLineNr() < 0
        ? "YAML syntax"
        : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    String message = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML").strip();
    return where + ": " + message.replace("Duplicate field", "duplicate key");
  }

  private static GatewayException invalid(String sourceName, List<String> problems) {
    String list = problems.stream().map(problem -> "  - " + problem).collect(Collectors.joining("\n"));
    return new GatewayException(
        ErrorCode.CONFIGURATION_ERROR, "Invalid configuration " + sourceName + ":\n" + list);
  }
}
