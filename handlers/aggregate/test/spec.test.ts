import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../../../shared/contract/describe-issue.ts';
import { aggregateHandler } from '../index.ts';
import { aggregateSpec } from '../spec.ts';
import { planAggregate } from '../plan.ts';

function issuesOf(config: unknown) {
  const result = aggregateSpec.safeParse(config);
  if (result.success) throw new Error('expected the config to be rejected');
  return result.error.issues;
}

/** The messages users see, as the pipeline loader renders them. */
function messagesOf(config: unknown): string[] {
  return describeIssues(issuesOf(config), config, aggregateSpec).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('aggregateSpec', () => {
  it('accepts the suggested configuration and defaults metrics to none (the count only)', () => {
    const config = {
      groupBy: ['currency', { field: 'created_at', window: 'day', as: 'day' }],
      metrics: [
        { op: 'count', as: 'orders' },
        { op: 'sum', field: 'amount', as: 'revenue' },
        { op: 'avg', field: 'amount', as: 'avg_amount' },
        { op: 'min', field: 'amount', as: 'min_amount' },
        { op: 'max', field: 'amount', as: 'max_amount' },
      ],
    };
    expect(aggregateSpec.parse(config)).toEqual(config);
    expect(aggregateSpec.parse({ groupBy: ['currency'] })).toEqual({ groupBy: ['currency'], metrics: [] });
  });

  it('resolves output names: the field for a group, count for count, <op>_<field> otherwise', () => {
    const plan = planAggregate(aggregateSpec.parse({ groupBy: ['currency', { field: 'ts', window: 'month' }], metrics: [{ op: 'sum', field: 'amount' }, { op: 'max', field: 'amount' }, { op: 'avg', field: 'qty' }] }));
    expect(plan.groupBy).toEqual([{ field: 'currency', as: 'currency' }, { field: 'ts', window: 'month', as: 'ts' }]);
    expect(plan.metrics).toEqual([
      { op: 'sum', field: 'amount', as: 'sum_amount' },
      { op: 'max', field: 'amount', as: 'max_amount' },
      { op: 'avg', field: 'qty', as: 'avg_qty' },
      { op: 'count', as: 'count' },
    ]);
    expect(plan.sumFields).toEqual(['amount', 'qty']);
    expect(plan.extremeFields).toEqual(['amount']);
    expect(plan.numericFields).toEqual(['amount', 'qty']);
  });

  it('rejects unknown keys with a suggestion, in a group field and a metric', () => {
    expect(messagesOf({ groupBy: [{ field: 'ts', windw: 'day' }] })).toEqual([expect.stringMatching(/^groupBy\.0\.windw: unknown key "windw" \(did you mean "window"\?\)/)]);
    expect(messagesOf({ groupBy: ['a'], metrics: [{ op: 'sum', feild: 'x' }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^metrics\.0\.feild: unknown key "feild" \(did you mean "field"\?\)/)]),
    );
    expect(messagesOf({ groupBy: ['a'], metric: [] })).toEqual([expect.stringMatching(/^metric: unknown key "metric" \(did you mean "metrics"\?\)/)]);
  });

  it('names the field and what was expected', () => {
    expect(messagesOf({})).toEqual(['groupBy: missing; expected a list']);
    expect(messagesOf({ groupBy: [] })).toEqual(['groupBy: expected at least 1 item, found a list of 0 items']);
    expect(messagesOf({ groupBy: [3] })).toEqual(['groupBy.0: expected a string or a mapping, found 3 (number)']);
    expect(messagesOf({ groupBy: ['a'], metrics: [{ op: 'mean', field: 'x' }] })).toEqual(['metrics.0.op: expected one of "count", "sum", "avg", "min", "max", found "mean" (string)']);
  });

  it('requires a field for sum, avg, min and max, and none for count', () => {
    expect(messagesOf({ groupBy: ['a'], metrics: [{ op: 'sum' }, { op: 'count', field: 'x' }] })).toEqual([
      'metrics.0.field: missing; op "sum" needs the numeric field it reads',
      'metrics.1.field: op "count" counts the records of a group and takes no field; remove `field`',
    ]);
  });

  it('refuses two outputs with one name, a metric named like a group field, and the reserved prefix', () => {
    expect(messagesOf({ groupBy: ['currency', { field: 'ts', window: 'day', as: 'currency' }] })).toEqual([
      'groupBy.1.as: output name "currency" is already used by groupBy[0]; every group field and metric writes its own attribute of the item, so give this one another name with `as`',
    ]);
    expect(messagesOf({ groupBy: ['day'], metrics: [{ op: 'sum', field: 'amount', as: 'day' }] })).toEqual([
      'metrics.0.as: output name "day" is already used by groupBy[0]; every group field and metric writes its own attribute of the item, so give this one another name with `as`',
    ]);
    // Two defaulted names that coincide: the metric itself is pointed at.
    expect(messagesOf({ groupBy: ['a'], metrics: [{ op: 'sum', field: 'x' }, { op: 'sum', field: 'x' }] })).toEqual([
      'metrics.1: output name "sum_x" is already used by metrics[0]; every group field and metric writes its own attribute of the item, so give this one another name with `as`',
    ]);
    expect(messagesOf({ groupBy: ['a'], metrics: [{ op: 'max', field: 'x', as: '_sluice_max' }] })).toEqual([
      'metrics.0.as: expected a name that does not start with "_sluice" (the table output keeps its bookkeeping there), found "_sluice_max" (string)',
    ]);
  });

  it('keeps the name count for the record count when no count metric names it', () => {
    expect(messagesOf({ groupBy: ['count'] })).toEqual([
      'groupBy.0: output name "count" is taken by the record count, which every item has (no count metric names it otherwise); rename this one with `as`, or add { op: count, as: <another name> }',
    ]);
    expect(aggregateSpec.safeParse({ groupBy: ['count'], metrics: [{ op: 'count', as: 'records' }] }).success).toBe(true);
    expect(messagesOf({ groupBy: ['a'], metrics: [{ op: 'count' }, { op: 'sum', field: 'x', as: 'count' }] })).toEqual([
      'metrics.1.as: output name "count" is already used by metrics[0]; every group field and metric writes its own attribute of the item, so give this one another name with `as`',
    ]);
  });

  it('derives a JSON Schema with a description on every option', () => {
    const schema = z.toJSONSchema(aggregateSpec, { io: 'input' }) as {
      additionalProperties: boolean;
      properties: Record<string, { description?: string; items?: { properties?: Record<string, { description?: string }>; anyOf?: { description?: string; properties?: Record<string, { description?: string }> }[] } }>;
    };
    expect(schema.additionalProperties).toBe(false);
    const metric = schema.properties.metrics?.items?.properties ?? {};
    const groupForms = schema.properties.groupBy?.items?.anyOf ?? [];
    expect(groupForms).toHaveLength(2);
    const described = [...Object.entries(schema.properties), ...Object.entries(metric), ...groupForms.flatMap((form) => Object.entries(form.properties ?? {})), ...groupForms.map((form, index) => [`groupBy form ${index}`, form] as const)];
    for (const [key, property] of described) expect(property.description, key).toMatch(/\w{3,}/);
  });

  it('accepts the examples in the README', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => parseYaml(match[1] ?? '') as { steps?: Array<Record<string, unknown>> });
    // By the handler's registered name, so a fork (`sluice fork aggregate --as NAME`) checks its own README's steps.
    const steps = blocks.flatMap((block) => block.steps ?? []).filter((step) => step[aggregateHandler.name] !== undefined);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(aggregateSpec.safeParse(step[aggregateHandler.name]).error?.issues ?? []).toEqual([]);
  });
});
