package dev.sluice.gateway.frontend.flight;

import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import dev.sluice.gateway.engine.QueryPlan;
import dev.sluice.policies.Principal;
import java.util.Arrays;
import java.util.List;

/**
 * A Flight SQL prepared statement: the plan it was prepared with (policy reloads do not change a
 * prepared statement, as they do not change a running query), its owner and the parameter values
 * last bound to it.
 */
final class PreparedQuery {
  private final String id;
  private final Principal owner;
  private final QueryPlan plan;
  private volatile List<Object> parameters = List.of();

  PreparedQuery(String id, Principal owner, QueryPlan plan) {
    this.id = requireNonNull(id, "id is null");
    this.owner = requireNonNull(owner, "owner is null");
    this.plan = requireNonNull(plan, "plan is null");
  }

  String id() {
    return id;
  }

  Principal owner() {
    return owner;
  }

  QueryPlan plan() {
    return plan;
  }

  /** Replaces the bound values; they apply to executions started after this. */
  void bind(List<Object> values) {
    int expected = plan.parameterTypes().size();
    if (values.size() != expected) {
      throw new GatewayException(
          ErrorCode.INVALID_PARAMETER,
          "The statement has " + expected + " parameter(s) but " + values.size() + " were bound");
    }
    // Values may be NULL, which List.copyOf refuses.
    parameters = Arrays.asList(values.toArray());
  }

  /** The values to execute with: every parameter must have been bound. */
  List<Object> parametersToExecute() {
    List<Object> bound = parameters;
    int expected = plan.parameterTypes().size();
    if (bound.size() != expected) {
      throw new GatewayException(
          ErrorCode.INVALID_PARAMETER,
          "The statement has " + expected + " parameter(s); bind them (DoPut) before executing it");
    }
    return bound;
  }
}
