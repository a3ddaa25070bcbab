package dev.sluice.gateway.engine;

import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.SchemaPlus;

/**
 * What Calcite's generated code for a federated query may look up: the physical schemas,
 * parameters, clock, and the objects planning stashed for it.
 */
final class FederatedDataContext implements DataContext {
  private final SchemaPlus physicalRoot;
  private final JavaTypeFactory typeFactory;
  private final Map<String, Object> variables = new HashMap<>();

  FederatedDataContext(
      SchemaPlus physicalRoot,
      JavaTypeFactory typeFactory,
      List<RelDataType> parameterTypes,
      List<Object> jdbcParameters,
      AtomicBoolean cancelFlag,
      Map<String, Object> stash) {
    this.physicalRoot = physicalRoot;
    this.typeFactory = typeFactory;
    variables.putAll(stash);
    long now = System.currentTimeMillis();
    variables.put(Variable.UTC_TIMESTAMP.camelName, now);
    variables.put(Variable.CURRENT_TIMESTAMP.camelName, now);
    variables.put(Variable.LOCAL_TIMESTAMP.camelName, now);
    variables.put(Variable.TIME_ZONE.camelName, TimeZone.getTimeZone("UTC"));
    variables.put(Variable.CANCEL_FLAG.camelName, cancelFlag);
    for (int i = 0; i < jdbcParameters.size(); i++) {
      variables.put("?" + i, Parameters.internalValue(parameterTypes.get(i), jdbcParameters.get(i)));
    }
  }

  @Override
  public SchemaPlus getRootSchema() {
    return physicalRoot;
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return typeFactory;
  }

  @Override
  public QueryProvider getQueryProvider() {
    return null;
  }

  @Override
  public Object get(String name) {
    return variables.get(name);
  }
}
