package dev.sluice.gateway.engine;

import java.util.Set;
import org.apache.calcite.adapter.jdbc.JdbcTableScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalIntersect;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalMinus;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Calcite's field trimmer with a {@code trimFields} method for each operator class a plan holds
 * when it is trimmed, each doing what the trimmer's method for the base class does.
 *
 * <p>The trimmer finds its method for each operator by reflection, one cache per trimmer, and one
 * trimmer trims one query: for a {@code LogicalProject} it asked for {@code
 * trimFields(LogicalProject, ...)} first, and each such miss cost a NoSuchMethodException with its
 * stack trace (2-3% of planning a corpus query). With these, the first lookup finds its method.
 */
public final class PlanTrimmer extends RelFieldTrimmer {
  PlanTrimmer(RelBuilder relBuilder) {
    super(null, relBuilder);
  }

  public TrimResult trimFields(LogicalProject project, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(project, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalFilter filter, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(filter, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalJoin join, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(join, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalAggregate aggregate, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(aggregate, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalSort sort, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(sort, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalUnion union, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(union, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalIntersect intersect, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(intersect, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalMinus minus, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields(minus, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(JdbcTableScan scan, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields((TableScan) scan, fieldsUsed, extraFields);
  }

  public TrimResult trimFields(LogicalTableScan scan, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
    return super.trimFields((TableScan) scan, fieldsUsed, extraFields);
  }
}
