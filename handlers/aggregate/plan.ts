import type { AggregateConfig, MetricOp, TimeWindow } from './spec.ts';
import { DEFAULT_COUNT_NAME, groupFieldName, metricName } from './spec.ts';

/** One part of a group's identity: the field read, its window if any, and the attribute written. */
export interface GroupPart {
  field: string;
  window?: TimeWindow;
  as: string;
}

export interface MetricPlan {
  op: MetricOp;
  /** The field read; absent for `count`. */
  field?: string;
  as: string;
}

/** The configuration with every default and name resolved, and what each record must provide. */
export interface AggregatePlan {
  groupBy: GroupPart[];
  /** Always holds a count: the one configured, or `count` added when none is. */
  metrics: MetricPlan[];
  /** Fields whose exact sum a group keeps (for `sum` and `avg`). */
  sumFields: string[];
  /** Fields whose distinct values a group keeps with their multiplicity (for `min` and `max`). */
  extremeFields: string[];
  /** Every field a record must hold as a number. */
  numericFields: string[];
}

const unique = (values: readonly string[]) => [...new Set(values)];

export function planAggregate(config: AggregateConfig): AggregatePlan {
  const groupBy = config.groupBy.map((entry): GroupPart => {
    if (typeof entry === 'string') return { field: entry, as: entry };
    const part: GroupPart = { field: entry.field, as: groupFieldName(entry) };
    if (entry.window) part.window = entry.window;
    return part;
  });
  const metrics = config.metrics.map((metric): MetricPlan => {
    const plan: MetricPlan = { op: metric.op, as: metricName(metric) };
    if (metric.op !== 'count' && metric.field !== undefined) plan.field = metric.field;
    return plan;
  });
  if (!metrics.some((metric) => metric.op === 'count')) metrics.push({ op: 'count', as: DEFAULT_COUNT_NAME });
  const fieldsOf = (ops: readonly MetricOp[]) => unique(metrics.filter((metric) => ops.includes(metric.op)).map((metric) => metric.field as string));
  const sumFields = fieldsOf(['sum', 'avg']);
  const extremeFields = fieldsOf(['min', 'max']);
  return { groupBy, metrics, sumFields, extremeFields, numericFields: unique([...sumFields, ...extremeFields]) };
}
