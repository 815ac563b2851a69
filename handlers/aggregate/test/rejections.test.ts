import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { aggregateBatch } from '../core.ts';
import { aggregateSpec } from '../spec.ts';
import type { AggregateConfigInput } from '../spec.ts';
import type { ChangeItem, RowItem } from '../../../shared/contract/handler.ts';
import { SHARD, changeItem, foldAll, insert, modify, remove, row, sequence } from './changes.ts';

const config: AggregateConfigInput = {
  groupBy: ['currency', { field: 'created_at', window: 'day', as: 'day' }],
  metrics: [
    { op: 'sum', field: 'amount', as: 'revenue' },
    { op: 'max', field: 'quantity', as: 'max_quantity' },
  ],
};

const aggregate = (...items: (ChangeItem | RowItem)[]) => aggregateBatch(items, aggregateSpec.parse(config));

const valid = { id: 'o-1', currency: 'EUR', created_at: '2024-05-01T10:00:00Z', amount: 12, quantity: 1, email: 'ada@example.com', card: '4111111111111111' };

/** The reasons of the one rejected record, as `field: message`. */
function reasonsFor(...items: (ChangeItem | RowItem)[]): string[] {
  const { rejected } = aggregate(...items);
  expect(rejected).toHaveLength(1);
  return rejected[0]!.reasons.map((reason) => (reason.field ? `${reason.field}: ${reason.message}` : reason.message));
}

describe('aggregate: rejected records', () => {
  it('names every missing or wrong field and what was expected, one reason each', () => {
    expect(reasonsFor(insert(1, { id: 'o-1', created_at: 'yesterday', amount: '12.50', quantity: true }))).toEqual([
      'currency: missing; expected a string, number or boolean to group by',
      'created_at: expected an ISO-8601 date-time with a time zone, or epoch seconds or milliseconds, found a string in another format',
      'amount: expected a number, found a string of digits (store numbers as numbers, not text)',
      'quantity: expected a number, found a boolean',
    ]);
  });

  it.each([
    [{ currency: null }, 'currency: expected a string, number or boolean to group by, found null'],
    [{ currency: '' }, 'currency: expected a string, number or boolean to group by, found an empty string'],
    [{ currency: ['EUR'] }, 'currency: expected a string, number or boolean to group by, found a list'],
    [{ currency: { code: 'EUR' } }, 'currency: expected a string, number or boolean to group by, found a map'],
    [{ created_at: undefined }, 'created_at: missing; expected an ISO-8601 date-time with a time zone, or epoch seconds or milliseconds'],
    [{ created_at: '2024-05-01T10:00:00' }, 'created_at: expected an ISO-8601 date-time with a time zone (Z or +hh:mm), found one without: which UTC window it falls in depends on the zone'],
    [{ created_at: '2024-02-30' }, 'created_at: expected an ISO-8601 date-time with a time zone, or epoch seconds or milliseconds, found a string that is not a real date or time'],
    [{ created_at: false }, 'created_at: expected an ISO-8601 date-time with a time zone, or epoch seconds or milliseconds, found a boolean'],
    [{ created_at: 1e17 }, 'created_at: expected a time in the years 0000-9999, found one outside them'],
    [{ amount: undefined }, 'amount: missing; expected a number'],
    [{ amount: 'twelve' }, 'amount: expected a number, found a string'],
    [{ amount: Number.NaN }, 'amount: expected a finite number, found NaN'],
    [{ amount: new Set([1]) }, 'amount: expected a number, found a set'],
    [{ amount: new Uint8Array([1]) }, 'amount: expected a number, found binary data'],
    [{ amount: NumberValue.from(`1${'0'.repeat(38)}1`) }, "amount: expected a number of at most 38 significant digits (DynamoDB's limit), found one of 40"],
  ])('rejects %o with the field and what was expected', (change, reason) => {
    expect(reasonsFor(insert(1, { ...valid, ...change }))).toEqual([reason]);
  });

  it('never repeats a value of the record in its reasons (they may be personal data)', () => {
    const { rejected } = aggregate(insert(1, { ...valid, currency: 'ada@example.com-4111111111111111', amount: 'ada@example.com' }), insert(2, { ...valid, created_at: '4111111111111111' }));
    expect(rejected).toHaveLength(2);
    const text = JSON.stringify(rejected.map((item) => item.reasons));
    expect(text).not.toMatch(/ada|4111/);
  });

  it('keeps the origin and the record as it came, for the quarantine', () => {
    const item = insert(7, { ...valid, amount: 'x' });
    const { rejected } = aggregate(item);
    expect(rejected).toEqual([{ kind: 'rejected', origin: { source: SHARD, position: sequence(7) }, reasons: [{ field: 'amount', message: 'expected a number, found a string' }], record: item.change }]);
    const bad = row(3, { ...valid, currency: undefined });
    expect(aggregate(bad).rejected[0]).toMatchObject({ origin: bad.origin, record: bad.row });
  });

  it('refuses changes that cannot be subtracted for want of an image, naming the stream view type needed', () => {
    expect(reasonsFor(modify(1, undefined, valid, 'NEW_IMAGE'))).toEqual([
      "a MODIFY record without its old image cannot be aggregated: aggregate subtracts what a record was from its group, so the table's stream must be NEW_AND_OLD_IMAGES (this record's is NEW_IMAGE)",
    ]);
    expect(reasonsFor(remove(2, undefined, 'KEYS_ONLY'))).toEqual([
      "a REMOVE record without its old image cannot be aggregated: aggregate subtracts what a record was from its group, so the table's stream must be NEW_AND_OLD_IMAGES or OLD_IMAGE (this record's is KEYS_ONLY)",
    ]);
    expect(reasonsFor(modify(3, undefined, undefined, 'KEYS_ONLY'))).toEqual([
      "a MODIFY record without its old and new images cannot be aggregated: aggregate subtracts what a record was from its group, so the table's stream must be NEW_AND_OLD_IMAGES (this record's is KEYS_ONLY)",
    ]);
    expect(reasonsFor(changeItem('INSERT', 4, { streamViewType: 'OLD_IMAGE' }))).toEqual([
      "an INSERT record without its new image cannot be aggregated: aggregate adds what a record is to its group, so the table's stream must be NEW_AND_OLD_IMAGES or NEW_IMAGE (this record's is OLD_IMAGE)",
    ]);
    // A REMOVE needs no new image: OLD_IMAGE streams are enough.
    const { rejected, updates } = aggregate(remove(5, valid, 'OLD_IMAGE'));
    expect(rejected).toEqual([]);
    expect(foldAll(updates[0]!).attributes).toMatchObject({ count: -1, revenue: '-12' });
  });

  it('a record that becomes invalid leaves its group (its old version is subtracted) and is rejected', () => {
    const { updates, rejected } = aggregate(insert(1, valid), modify(2, valid, { ...valid, amount: 'n/a' }));
    expect(rejected.map((item) => item.origin.position)).toEqual([sequence(2)]);
    expect(updates).toHaveLength(1);
    expect(foldAll(updates[0]!).attributes).toEqual({ currency: 'EUR', day: '2024-05-01', revenue: '0', count: 0 });
  });

  it('a version that was invalid never counted, so it is not subtracted: fixing a record adds it, removing an invalid one changes nothing', () => {
    const invalid = { ...valid, amount: 'n/a' };
    const fixed = aggregate(modify(1, invalid, valid));
    expect(fixed.rejected).toEqual([]);
    expect(foldAll(fixed.updates[0]!).attributes).toMatchObject({ count: 1, revenue: '12' });
    expect(aggregate(remove(2, invalid))).toEqual({ updates: [], rejected: [] });
  });
});
