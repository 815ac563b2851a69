import type { ChangeItem, GroupUpdateItem, HandlerDefinition, RowItem, Step } from '../../shared/contract/handler.ts';
import { BatchAggregator } from './core.ts';
import { planAggregate } from './plan.ts';
import { aggregateSpec } from './spec.ts';
import type { AggregateConfig } from './spec.ts';

export { BatchAggregator, aggregateBatch, changeEffect, effectOf } from './core.ts';
export type { GroupDelta, RecordEffect } from './core.ts';
export type { Delta } from './delta.ts';
export type { GroupState } from './fold.ts';
export { planAggregate } from './plan.ts';
export type { AggregatePlan } from './plan.ts';
export { aggregateSpec } from './spec.ts';
export type { AggregateConfig, AggregateConfigInput } from './spec.ts';

function createAggregateStep(config: AggregateConfig): Step<ChangeItem | RowItem, GroupUpdateItem> {
  const plan = planAggregate(config);
  return async function* aggregateStep(items, ctx) {
    // The whole batch is one unit: groups are only complete once every record has been read.
    const aggregator = new BatchAggregator(plan);
    let records = 0;
    let rejected = 0;
    for await (const item of items) {
      records++;
      const refused = aggregator.add(item);
      if (refused) {
        rejected++;
        yield refused;
      }
    }
    ctx.logger.debug({ step: 'aggregate', table: ctx.table, records, rejected, groups: aggregator.groupCount }, 'aggregated batch');
    yield* aggregator.updates();
  };
}

export const aggregateHandler: HandlerDefinition<typeof aggregateSpec, 'change' | 'row', 'group-update'> = {
  name: 'aggregate',
  accepts: ['change', 'row'],
  lambda: { memorySize: 256, timeout: 60 },
  emits: 'group-update',
  description:
    'Aggregates table changes (INSERT adds the new image, MODIFY subtracts the old one and adds the new, REMOVE subtracts the old) or rows into one item per group: group-by fields with optional UTC hour, day or month windows, and count, sum, avg, min and max in exact decimals, min and max staying true under updates and deletes. Each batch becomes one update per group, which a table output applies exactly once in effect under redelivery. Records missing a group field or holding a non-numeric metric field are rejected with the field and what was expected.',
  spec: aggregateSpec,
  createStep: createAggregateStep,
};
