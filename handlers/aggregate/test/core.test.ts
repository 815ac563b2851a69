import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { aggregateBatch } from '../core.ts';
import { aggregateSpec } from '../spec.ts';
import type { AggregateConfigInput } from '../spec.ts';
import { SluiceError } from '../../../shared/contract/errors.ts';
import type { ChangeItem, GroupUpdateItem, RowItem } from '../../../shared/contract/handler.ts';
import { SHARD, foldAll, insert, modify, remove, row, sequence } from './changes.ts';
import { REVENUE_CONFIG } from './changes.ts';

const config: AggregateConfigInput = REVENUE_CONFIG;

function aggregate(items: (ChangeItem | RowItem)[], input: AggregateConfigInput = config) {
  return aggregateBatch(items, aggregateSpec.parse(input));
}

const order = (id: string, currency: string, amount: unknown, createdAt: unknown = '2024-05-01T10:00:00Z') => ({ id, currency, amount, created_at: createdAt, email: `${id}@example.com` });

/** Folds each batch's updates into a simulated table of states, as the table output does. */
function foldBatches(...batches: GroupUpdateItem[][]): Map<string, { state: unknown; attributes: Record<string, unknown> }> {
  const items = new Map<string, { state: unknown; attributes: Record<string, unknown> }>();
  for (const updates of batches) {
    for (const update of updates) {
      const key = JSON.stringify(update.group, (_, value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype ? String(value) : value));
      items.set(key, foldAll(update, items.get(key)?.state));
    }
  }
  return items;
}

const attributesOf = (items: ReturnType<typeof foldBatches>) => [...items.values()].map((item) => item.attributes);

describe('aggregate: the metrics', () => {
  it('counts, sums, averages and keeps min and max per group', () => {
    const { updates, rejected } = aggregate([insert(1, order('a', 'EUR', 10)), insert(2, order('b', 'EUR', 2.5)), insert(3, order('c', 'USD', 7)), insert(4, order('d', 'EUR', 4))]);
    expect(rejected).toEqual([]);
    expect(attributesOf(foldBatches(updates))).toEqual([
      { currency: 'EUR', day: '2024-05-01', orders: 3, revenue: '16.5', avg_amount: '5.5', min_amount: '2.5', max_amount: '10' },
      { currency: 'USD', day: '2024-05-01', orders: 1, revenue: '7', avg_amount: '7', min_amount: '7', max_amount: '7' },
    ]);
  });

  it('sums in exact decimals, never floating point', () => {
    const { updates } = aggregate([insert(1, order('a', 'EUR', 0.1)), insert(2, order('b', 'EUR', 0.2))]);
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(foldAll(updates[0]!).attributes).toMatchObject({ revenue: '0.3', avg_amount: '0.15' });
  });

  it('reads exact number wrappers (NumberValue) with all 38 digits', () => {
    const big = '1234567890123456789012345678.0123456789';
    const { updates } = aggregate([insert(1, order('a', 'EUR', NumberValue.from(big))), insert(2, order('b', 'EUR', NumberValue.from('0.0000000001')))]);
    expect(foldAll(updates[0]!).attributes).toMatchObject({ revenue: '1234567890123456789012345678.012345679', min_amount: '0.0000000001', max_amount: big });
  });

  it('rounds an average to 38 significant digits (half even)', () => {
    const { updates } = aggregate([insert(1, order('a', 'EUR', 1)), insert(2, order('b', 'EUR', 0)), insert(3, order('c', 'EUR', 1))]);
    expect(foldAll(updates[0]!).attributes.avg_amount).toBe(`0.${'6'.repeat(37)}7`);
  });

  it('fails clearly when a sum needs more than 38 significant digits', () => {
    const { updates } = aggregate([insert(1, order('a', 'EUR', NumberValue.from('1e20'))), insert(2, order('b', 'EUR', NumberValue.from('1e-20')))]);
    const error = (() => {
      try {
        foldAll(updates[0]!);
      } catch (caught) {
        return caught;
      }
      throw new Error('expected the fold to fail');
    })();
    expect(error).toBeInstanceOf(SluiceError);
    expect(error).toMatchObject({
      code: 'AGGREGATE_NUMBER_TOO_LARGE',
      permanent: true,
      message: 'the sum of amount of group currency="EUR", day="2024-05-01" cannot be stored: DynamoDB takes a number of at most 38 significant digits (DynamoDB\'s limit), found one of 41',
    });
  });

  it('counts only, under "count", when no metric is configured', () => {
    const { updates } = aggregate([insert(1, order('a', 'EUR', 1)), insert(2, order('b', 'EUR', 'not read'))], { groupBy: ['currency'] });
    expect(foldAll(updates[0]!).attributes).toEqual({ currency: 'EUR', count: 2 });
  });

  it('groups by numbers as DynamoDB compares them (1.50 is 1.5) and by booleans', () => {
    const { updates } = aggregate(
      [insert(1, { id: 'a', store: NumberValue.from('1.50'), vip: true }), insert(2, { id: 'b', store: 1.5, vip: true }), insert(3, { id: 'c', store: 2, vip: false })],
      { groupBy: ['store', 'vip'] },
    );
    expect(updates.map((update) => foldAll(update).attributes)).toEqual([
      { store: '1.5', vip: true, count: 2 },
      { store: '2', vip: false, count: 1 },
    ]);
  });
});

describe('aggregate: changes', () => {
  it('MODIFY subtracts the old image and adds the new one', () => {
    const first = aggregate([insert(1, order('a', 'EUR', 10)), insert(2, order('b', 'EUR', 3))]);
    const second = aggregate([modify(3, order('a', 'EUR', 10), order('a', 'EUR', 1))]);
    expect(second.updates).toHaveLength(1);
    expect(second.updates[0]!.contributions[0]!.delta).toEqual({ count: 0, sums: { amount: '-9' }, values: { amount: { '1': 1, '10': -1 } } });
    expect(attributesOf(foldBatches(first.updates, second.updates))).toEqual([{ currency: 'EUR', day: '2024-05-01', orders: 2, revenue: '4', avg_amount: '2', min_amount: '1', max_amount: '3' }]);
  });

  it('a change of group subtracts from the old group and adds to the new, with the same origin', () => {
    const first = aggregate([insert(1, order('a', 'EUR', 10)), insert(2, order('b', 'EUR', 3))]);
    const second = aggregate([modify(3, order('a', 'EUR', 10), order('a', 'USD', 10, '2024-05-02T00:30:00+02:00'))]);
    expect(second.updates.map((update) => update.group)).toEqual([
      { currency: 'EUR', day: '2024-05-01' },
      // 00:30 at +02:00 is still the 1st in UTC.
      { currency: 'USD', day: '2024-05-01' },
    ]);
    expect(second.updates.map((update) => update.contributions.map((contribution) => contribution.origin))).toEqual([[{ source: SHARD, position: sequence(3) }], [{ source: SHARD, position: sequence(3) }]]);
    expect(attributesOf(foldBatches(first.updates, second.updates))).toEqual([
      { currency: 'EUR', day: '2024-05-01', orders: 1, revenue: '3', avg_amount: '3', min_amount: '3', max_amount: '3' },
      { currency: 'USD', day: '2024-05-01', orders: 1, revenue: '10', avg_amount: '10', min_amount: '10', max_amount: '10' },
    ]);
  });

  it('an update that leaves the group and numbers as they were contributes nothing', () => {
    const { updates, rejected } = aggregate([modify(5, order('a', 'EUR', 10), { ...order('a', 'EUR', 10), email: 'new@example.com' })]);
    expect(updates).toEqual([]);
    expect(rejected).toEqual([]);
  });

  it('REMOVE subtracts; removing the minimum reveals the next one, and a duplicate value stays until its last record goes', () => {
    const first = aggregate([insert(1, order('a', 'EUR', 1)), insert(2, order('b', 'EUR', 1)), insert(3, order('c', 'EUR', 5)), insert(4, order('d', 'EUR', 9))]);
    const second = aggregate([remove(5, order('a', 'EUR', 1)), remove(6, order('d', 'EUR', 9))]);
    const afterOne = foldBatches(first.updates, second.updates);
    expect(attributesOf(afterOne)).toEqual([{ currency: 'EUR', day: '2024-05-01', orders: 2, revenue: '6', avg_amount: '3', min_amount: '1', max_amount: '5' }]);
    const third = aggregate([remove(7, order('b', 'EUR', 1))]);
    expect(attributesOf(foldBatches(first.updates, second.updates, third.updates))).toEqual([{ currency: 'EUR', day: '2024-05-01', orders: 1, revenue: '5', avg_amount: '5', min_amount: '5', max_amount: '5' }]);
  });

  it('a group whose last record is removed keeps count 0 and sum 0, without avg, min or max', () => {
    const first = aggregate([insert(1, order('a', 'EUR', 4))]);
    const second = aggregate([remove(2, order('a', 'EUR', 4))]);
    const items = foldBatches(first.updates, second.updates);
    expect(attributesOf(items)).toEqual([{ currency: 'EUR', day: '2024-05-01', orders: 0, revenue: '0' }]);
    expect([...items.values()][0]!.state).toEqual({ count: 0, sums: { amount: '0' }, values: { amount: {} } });
  });

  it('takes rows as insertions', () => {
    const { updates } = aggregate([row(1, order('a', 'EUR', 4)), row(2, order('b', 'EUR', 6))]);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.contributions.map((contribution) => contribution.origin)).toEqual([
      { source: 's3://uploads/orders.csv#etag1', position: '1' },
      { source: 's3://uploads/orders.csv#etag1', position: '2' },
    ]);
    expect(foldAll(updates[0]!).attributes).toMatchObject({ orders: 2, revenue: '10' });
  });
});

describe('aggregate: coalescing', () => {
  it('emits one update per group for the whole batch, contributions in delivery order', () => {
    const items = [
      insert(1, order('a', 'EUR', 1)),
      insert(2, order('b', 'USD', 2)),
      insert(3, order('c', 'EUR', 3)),
      modify(4, order('b', 'USD', 2), order('b', 'USD', 5)),
      insert(5, order('d', 'EUR', 4, '2024-05-02T00:00:00Z')),
      remove(6, order('a', 'EUR', 1)),
    ];
    const { updates } = aggregate(items);
    expect(updates.map((update) => [update.group, update.contributions.map((contribution) => contribution.origin.position)])).toEqual([
      [{ currency: 'EUR', day: '2024-05-01' }, [sequence(1), sequence(3), sequence(6)]],
      [{ currency: 'USD', day: '2024-05-01' }, [sequence(2), sequence(4)]],
      [{ currency: 'EUR', day: '2024-05-02' }, [sequence(5)]],
    ]);
    expect(updates.every((update) => update.kind === 'group-update')).toBe(true);
  });

  it('folds purely: the same state and contributions give the same result, the state given is not changed', () => {
    const { updates } = aggregate([insert(1, order('a', 'EUR', 1)), insert(2, order('b', 'EUR', 2))]);
    const update = updates[0]!;
    const state = foldAll(update).state;
    const frozen = JSON.stringify(state);
    const once = update.fold(state, update.contributions);
    const twice = update.fold(state, update.contributions);
    expect(JSON.stringify(state)).toBe(frozen);
    expect(JSON.stringify(once.state)).toBe(JSON.stringify(twice.state));
    expect(once.attributes).toMatchObject({ orders: 4 });
  });

  it('refuses a kept state built by a configuration that did not read a field now read', () => {
    const counted = aggregate([insert(1, order('a', 'EUR', 1))], { groupBy: ['currency'] });
    const state = foldAll(counted.updates[0]!).state;
    const summed = aggregate([insert(2, order('b', 'EUR', 2))], { groupBy: ['currency'], metrics: [{ op: 'sum', field: 'amount' }] });
    expect(() => foldAll(summed.updates[0]!, state)).toThrow(/^group currency="EUR" was aggregated by a configuration that did not read amount/);
  });
});
