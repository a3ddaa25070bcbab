package dev.sluice.policies;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.policies.PolicySet.Purpose;
import dev.sluice.policies.PolicySet.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a policy file (YAML) into a {@link PolicySet}, reporting every problem in it together, each
 * with its key path, in one {@link PolicyException}. The format:
 *
 * <pre>{@code
 * roles:                                  # at least one role, keyed by name
 *   marketer:
 *     min_group_size: 25                  # optional: aggregation-only, groups of at least 25 customers
 *     tables:                             # required; {} for a role that reads no tables
 *       customers:                        # table or schema.table; {} grants every column clear
 *         default: allow                  # allow (the default) | deny: the rule for columns not listed
 *         columns:
 *           email: { mask: hash }         # mask: a spec per Mask.parse: hash, redact, redact('text'),
 *                                         #   null, partial(first, last), email_domain, year,
 *                                         #   round(digits), bucket(width)
 *           phone: { mask: hash, salt_env: SLUICE_HASH_SALT }   # salted hash; the variable must be set
 *           lifetime_value: { mask: { expression: "ROUND(value, -2)" } }  # `value` is the column
 *           notes: deny                   # absent from metadata, an error if named
 *           city: allow
 *         row_filters:                    # ANDed; each a SQL condition or { sql, if_attribute }
 *           - sql: "region = ${user.region}"   # ${user.NAME}: the user's attribute as a string literal
 *             if_attribute: region        # apply only to users having this attribute
 *   activation:
 *     requires_purpose: true              # its users must declare a purpose to query at all
 *     tables: { ... }
 * purposes:                               # optional, keyed by name
 *   email_marketing:
 *     description: "Newsletters"          # optional
 *     roles: [activation]                 # required: the roles that may declare it
 *     tables:                             # optional; overlays on those roles' grants
 *       customers:
 *         columns: { email: allow }       # replaces the role's rule for these columns
 *         row_filters: [ "email_opt_in" ] # ANDed to the role's filters
 * }</pre>
 *
 * <p>Names are SQL identifiers compared case-insensitively; unknown keys are errors. SQL is checked
 * for syntax only: whether tables and columns exist is checked by the gateway against its virtual
 * schema.
 */
public final class PolicyFile {
  private static final List<String> TOP_LEVEL_KEYS = List.of("roles", "purposes");

  // The tree is walked by hand rather than data-bound because binding stops at the first error.
  // Duplicate keys fail the parse: silently keeping the last one could widen a grant unnoticed.
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private PolicyFile() {}

  /** Reads and parses {@code file}; {@code variables} provides the values {@code salt_env} names. */
  public static PolicySet load(Path file, Function<String, Optional<String>> variables) {
    requireNonNull(file, "file is null");
    requireNonNull(variables, "variables is null");
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
    }
    return parse(yaml, file.toString(), variables);
  }

  /**
   * Parses and validates {@code yaml}; {@code sourceName} names it in error messages and {@code
   * variables} provides the values {@code salt_env} names.
   */
  public static PolicySet parse(String yaml, String sourceName, Function<String, Optional<String>> variables) {
    requireNonNull(yaml, "yaml is null");
    requireNonNull(sourceName, "sourceName is null");
    requireNonNull(variables, "variables is null");
    JsonNode root = readTree(yaml, sourceName);
    PolicyReader reader = new PolicyReader(variables);
    Optional<PolicySet> policies = bind(root, reader);
    if (reader.problemCount() > 0 || policies.isEmpty()) {
      throw new PolicyException(sourceName, reader.problems());
    }
    return policies.get();
  }

  private static JsonNode readTree(String yaml, String sourceName) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new PolicyException(sourceName, List.of(syntaxProblem(e)));
    }
  }

  private static Optional<PolicySet> bind(JsonNode root, PolicyReader reader) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      reader.problem("roles", "is required (the file is empty)");
      return Optional.empty();
    }
    Optional<ObjectNode> top = reader.mapping(root, "", TOP_LEVEL_KEYS, "");
    Optional<JsonNode> rolesNode = top.flatMap(object -> PolicyReader.field(object, "roles"));
    if (top.isPresent() && rolesNode.isEmpty()) {
      reader.problem("roles", "is required");
    }
    Optional<ObjectNode> roles = rolesNode.flatMap(node -> reader.namedMapping(node, "roles", ""));
    if (roles.isPresent() && roles.get().isEmpty()) {
      reader.problem("roles", "at least one role is required");
    }
    Map<String, Role> bound = new LinkedHashMap<>();
    Map<String, String> seen = PolicyReader.newNameIndex();
    for (PolicyReader.Entry role : roles.map(node -> reader.entries(node, "roles")).orElse(List.of())) {
      if (reader.checkName(role.key(), role.path())) {
        reader.checkUnique(seen, role.key(), role.path());
      }
      RoleBinder.bind(role, reader).ifPresent(r -> bound.put(role.key(), r));
    }
    Map<String, Purpose> purposes = purposes(top, reader);
    List<String> roleNames = roles.map(node -> reader.entries(node, "roles")).orElse(List.of()).stream()
        .map(PolicyReader.Entry::key).toList();
    checkPurposeRoles(purposes, roleNames, bound, reader);
    return roles.map(node -> new PolicySet(bound, purposes));
  }

  private static Map<String, Purpose> purposes(Optional<ObjectNode> top, PolicyReader reader) {
    Map<String, Purpose> bound = new LinkedHashMap<>();
    Optional<ObjectNode> purposes = top.flatMap(object -> PolicyReader.field(object, "purposes"))
        .flatMap(node -> reader.namedMapping(node, "purposes", ""));
    Map<String, String> seen = PolicyReader.newNameIndex();
    for (PolicyReader.Entry purpose : purposes.map(node -> reader.entries(node, "purposes")).orElse(List.of())) {
      if (reader.checkName(purpose.key(), purpose.path())) {
        reader.checkUnique(seen, purpose.key(), purpose.path());
      }
      PurposeBinder.bind(purpose, reader).ifPresent(p -> bound.put(purpose.key(), p));
    }
    return bound;
  }

  /**
   * Checks what purposes and roles say of each other: a purpose names existing roles and overlays
   * only tables one of them grants (an overlay refines a grant, it grants nothing), and a role that
   * requires a purpose has one it may declare.
   */
  private static void checkPurposeRoles(
      Map<String, Purpose> purposes, List<String> roleNames, Map<String, Role> roles, PolicyReader reader) {
    for (Purpose purpose : purposes.values()) {
      String path = "purposes." + purpose.name();
      for (int index = 0; index < purpose.roles().size(); index++) {
        String role = purpose.roles().get(index);
        if (roleNames.stream().noneMatch(role::equalsIgnoreCase)) {
          reader.problem(path + ".roles[" + index + "]", "no such role '" + role + "' (roles are "
              + String.join(", ", roleNames) + ")");
        }
      }
      for (String table : purpose.tables().keySet()) {
        boolean granted = roles.values().stream()
            .filter(role -> purpose.allows(role.name()))
            .anyMatch(role -> role.tables().keySet().stream().anyMatch(t -> RoleBinder.sameTable(t, table)));
        boolean rolesValid = purpose.roles().stream().allMatch(r -> roles.keySet().stream().anyMatch(r::equalsIgnoreCase));
        if (!granted && rolesValid) {
          reader.problem(path + ".tables." + table, "none of the purpose's roles (" + String.join(", ", purpose.roles())
              + ") grants this table; a purpose only refines what its roles grant");
        }
      }
    }
    for (Role role : roles.values()) {
      if (role.requiresPurpose() && purposes.values().stream().noneMatch(purpose -> purpose.allows(role.name()))) {
        reader.problem("roles." + role.name() + ".requires_purpose",
            "no purpose lists role " + role.name() + " in its roles, so its users could never query");
      }
    }
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
}
