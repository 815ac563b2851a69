import { z } from 'zod';

/**
 * The aggregate handler's configuration, declared once: the TypeScript types, YAML validation, the
 * JSON Schema for editors and the README options table all come from this file.
 *
 * Messages given here (regex, refinements) are phrased as the expectation, because the config
 * loader wraps them in its one template: `expected <this>, found <value>`.
 */

/** Tumbling time windows, in UTC. */
export const WINDOWS = ['hour', 'day', 'month'] as const;
export type TimeWindow = (typeof WINDOWS)[number];

export const OPS = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type MetricOp = (typeof OPS)[number];

/** Where the table output keeps its bookkeeping in each item; no output attribute may start with it. */
export const RESERVED_PREFIX = '_sluice';

/** The name of the record count when no `count` metric names it. */
export const DEFAULT_COUNT_NAME = 'count';

const attributeName = z.string().min(1).describe('An attribute name, as in the table items.');

const outputName = attributeName.regex(/^(?!_sluice)/, `a name that does not start with "${RESERVED_PREFIX}" (the table output keeps its bookkeeping there)`);

export const groupFieldSpec = z
  .strictObject({
    field: attributeName.describe('The attribute to group by (top-level; its value a string, number or boolean, or for `window` a time).'),
    window: z
      .enum(WINDOWS)
      .optional()
      .describe(
        'Group by the UTC hour, day or month the time falls in (tumbling windows): the attribute is an ISO-8601 date-time with a time zone (`2024-05-01T13:45:00Z`, `2024-05-01T15:45:00+02:00`) or a date (`2024-05-01`, read as UTC midnight), or epoch seconds or milliseconds (a number below 100000000000 is read as seconds). The output value is `2024-05-01T13:00:00Z` (hour), `2024-05-01` (day) or `2024-05` (month). Leave out to group by the value itself.',
      ),
    as: outputName.optional().describe('The output attribute that holds the group value. Default: the field\'s name.'),
  })
  .describe('A group field with a time window or a new name.');

const groupBySpec = z
  .array(z.union([attributeName.describe('An attribute to group by, under its own name.'), groupFieldSpec]))
  .min(1);

export const metricSpec = z
  .strictObject({
    op: z
      .enum(OPS)
      .describe(
        '`count` (records in the group), `sum`, `avg` (sum / count, rounded to 38 significant digits), `min` or `max` of `field`. Sums are exact decimals, never floating point; min and max stay true when records are updated or removed.',
      ),
    field: attributeName.optional().describe('The numeric attribute that `sum`, `avg`, `min` and `max` read (top-level). `count` takes none.'),
    as: outputName.optional().describe('The output attribute. Default: `count` for `count`, else `<op>_<field>` (`sum_amount`).'),
  })
  .describe('One value computed over each group.');

/** The name every group field and metric writes to, defaults applied. */
export function groupFieldName(entry: string | { field: string; as?: string | undefined }): string {
  return typeof entry === 'string' ? entry : (entry.as ?? entry.field);
}

export function metricName(metric: { op: MetricOp; field?: string | undefined; as?: string | undefined }): string {
  if (metric.as !== undefined) return metric.as;
  return metric.op === 'count' ? DEFAULT_COUNT_NAME : `${metric.op}_${metric.field ?? ''}`;
}

interface NameUse {
  name: string;
  label: string;
  path: (string | number)[];
}

type Refinement = z.core.$RefinementCtx<{ groupBy: unknown; metrics: unknown }>;

/** Each metric's field is there exactly when its op reads one. */
function checkFields(metrics: readonly unknown[], ctx: Refinement): void {
  metrics.forEach((raw, index) => {
    const metric = raw as { op?: unknown; field?: unknown };
    if (typeof metric?.op !== 'string' || !(OPS as readonly string[]).includes(metric.op)) return;
    if (metric.op === 'count' && metric.field !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['metrics', index, 'field'], message: 'op "count" counts the records of a group and takes no field; remove `field`' });
    }
    if (metric.op !== 'count' && metric.field === undefined) {
      ctx.addIssue({ code: 'custom', path: ['metrics', index, 'field'], message: `missing; op "${metric.op}" needs the numeric field it reads` });
    }
  });
}

/** Every output attribute must be one: group fields and metrics write to the same item. */
function checkNames(groupBy: readonly unknown[], metrics: readonly unknown[], ctx: Refinement): void {
  const uses: NameUse[] = [];
  groupBy.forEach((entry, index) => {
    if (typeof entry === 'string') uses.push({ name: entry, label: `groupBy[${index}]`, path: ['groupBy', index] });
    else if (typeof (entry as { field?: unknown })?.field === 'string') {
      const as = (entry as { as?: unknown }).as;
      const path: (string | number)[] = typeof as === 'string' ? ['groupBy', index, 'as'] : ['groupBy', index, 'field'];
      uses.push({ name: groupFieldName(entry as { field: string; as?: string }), label: `groupBy[${index}]`, path });
    }
  });
  let counted = false;
  metrics.forEach((raw, index) => {
    const metric = raw as { op?: unknown; field?: unknown; as?: unknown };
    if (typeof metric?.op !== 'string' || !(OPS as readonly string[]).includes(metric.op)) return;
    if (metric.op === 'count') counted = true;
    if (metric.as !== undefined && typeof metric.as !== 'string') return;
    if (metric.op !== 'count' && typeof metric.field !== 'string') return;
    const path: (string | number)[] = typeof metric.as === 'string' ? ['metrics', index, 'as'] : ['metrics', index];
    uses.push({ name: metricName(metric as { op: MetricOp; field?: string; as?: string }), label: `metrics[${index}]`, path });
  });
  const first = new Map<string, NameUse>();
  for (const use of uses) {
    const earlier = first.get(use.name);
    if (!earlier) {
      first.set(use.name, use);
      continue;
    }
    ctx.addIssue({
      code: 'custom',
      path: use.path,
      message: `output name "${use.name}" is already used by ${earlier.label}; every group field and metric writes its own attribute of the item, so give this one another name with \`as\``,
    });
  }
  const clash = first.get(DEFAULT_COUNT_NAME);
  if (!counted && clash) {
    ctx.addIssue({
      code: 'custom',
      path: clash.path,
      message: `output name "${DEFAULT_COUNT_NAME}" is taken by the record count, which every item has (no count metric names it otherwise); rename this one with \`as\`, or add { op: count, as: <another name> }`,
    });
  }
}

export const aggregateSpec = z
  .strictObject({
    groupBy: groupBySpec.describe(
      'What makes a group: attribute names (grouped by their value: a string, number or boolean), or `{ field, window, as }` to group a time by its UTC hour, day or month. Each group is one item of the output table, whose key must be among these outputs.',
    ),
    metrics: z
      .array(metricSpec)
      .default([])
      .describe(
        'What each group item holds besides its group fields. Every item also has the number of records in the group: under the name of the `count` metric, or `count` when there is none. Default: the count only.',
      ),
  })
  .superRefine(
    (config, ctx) => {
      const groupBy = Array.isArray(config.groupBy) ? config.groupBy : [];
      const metrics = Array.isArray(config.metrics) ? config.metrics : [];
      checkFields(metrics, ctx);
      checkNames(groupBy, metrics, ctx);
    },
    // Report names and fields alongside problems elsewhere, not only once those are fixed.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .describe('Aggregates table changes or rows into one item per group.');

export type AggregateConfig = z.output<typeof aggregateSpec>;
/** The configuration as written in YAML, before defaults are applied. */
export type AggregateConfigInput = z.input<typeof aggregateSpec>;
export type GroupField = z.output<typeof groupFieldSpec>;
export type Metric = z.output<typeof metricSpec>;
