import { describe, expect, it } from 'vitest';
import { aggregateHandler } from '../index.ts';
import type { AggregateConfigInput } from '../index.ts';
import type { ChangeItem, GroupUpdateItem, RejectedItem, RowItem, StepContext } from '../../../shared/contract/handler.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { insert, modify, row } from './changes.ts';

const ctx: StepContext = { pipeline: 'daily-revenue', table: 'orders', logger: createSilentLogger() };

const config: AggregateConfigInput = { groupBy: ['currency'], metrics: [{ op: 'sum', field: 'amount', as: 'revenue' }] };

async function runStep(items: (ChangeItem | RowItem)[], seen: string[] = []): Promise<(GroupUpdateItem | RejectedItem)[]> {
  async function* source(): AsyncIterable<ChangeItem | RowItem> {
    for (const item of items) {
      seen.push(`in ${item.origin.position}`);
      yield item;
    }
  }
  const step = aggregateHandler.createStep(aggregateHandler.spec.parse(config), aggregateHandler.lambda!);
  const out: (GroupUpdateItem | RejectedItem)[] = [];
  for await (const item of step(source(), ctx)) {
    seen.push(`out ${item.kind}`);
    out.push(item);
  }
  return out;
}

describe('aggregate handler', () => {
  it('is registered as "aggregate", takes changes and rows, gives group updates', () => {
    expect(aggregateHandler.name).toBe('aggregate');
    expect(aggregateHandler.accepts).toEqual(['change', 'row']);
    expect(aggregateHandler.emits).toBe('group-update');
    expect(aggregateHandler.description.length).toBeGreaterThan(80);
    expect(aggregateHandler.spec.safeParse(config).success).toBe(true);
  });

  it('reads the whole batch, passes rejections on as they come, then gives one update per group', async () => {
    const seen: string[] = [];
    const out = await runStep([insert(1, { currency: 'EUR', amount: 1 }), insert(2, { currency: 'EUR', amount: 'x' }), modify(3, { currency: 'EUR', amount: 1 }, { currency: 'USD', amount: 1 }), row(4, { currency: 'EUR', amount: 2 })], seen);
    expect(seen).toEqual([
      'in 100000000000000000001',
      'in 100000000000000000002',
      'out rejected',
      'in 100000000000000000003',
      'in 4',
      'out group-update',
      'out group-update',
    ]);
    const updates = out.filter((item): item is GroupUpdateItem => item.kind === 'group-update');
    expect(updates.map((update) => [update.group, update.contributions.length])).toEqual([
      [{ currency: 'EUR' }, 3],
      [{ currency: 'USD' }, 1],
    ]);
  });

  it('gives nothing for an empty batch', async () => {
    expect(await runStep([])).toEqual([]);
  });
});
