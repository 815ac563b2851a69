import { NumberValueImpl } from '@aws-sdk/util-dynamodb';
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import type { Resources } from '../../../shared/engine/pipeline/resources.ts';
import { checkItems } from '../../../shared/workbench/pipeline-tests/check-items.ts';
import { sameValue } from '../../../shared/workbench/pipeline-tests/compare-values.ts';

const resources: Resources = {
  buckets: {},
  tables: {
    orders: { partitionKey: { name: 'order_id', type: 'S' }, stream: 'NEW_AND_OLD_IMAGES' },
    revenue: { partitionKey: { name: 'currency', type: 'S' }, sortKey: { name: 'day', type: 'S' } },
    counters: { partitionKey: { name: 'n', type: 'N' } },
  },
};

const usd = { currency: 'USD', day: '2026-11-29', orders: 2, revenue: 30.5, _sluice: { version: 3 } };
const eur = { currency: 'EUR', day: '2026-11-29', orders: 0, revenue: 0 };
const tables = (items: Record<string, unknown>[]) => new Map([['revenue', items]]);

describe('comparing a stored value with the expected one', () => {
  it('compares numbers by decimal value, however they are read back', () => {
    for (const stored of [30.5, '30.50', '3.05e1', new Big('30.50'), new NumberValueImpl('30.500')]) expect(sameValue(30.5, stored), String(stored)).toBe(true);
    expect(sameValue(30.5, 30.25)).toBe(false);
    expect(sameValue(0.3, '0.30000000000000000001')).toBe(false);
    expect(sameValue(30.5, 'thirty')).toBe(false);
  });

  it('keeps strings, booleans and null exact, and compares lists and mappings element by element', () => {
    expect(sameValue('30.5', 30.5)).toBe(false);
    expect(sameValue('paid', 'paid')).toBe(true);
    expect(sameValue(true, 'true')).toBe(false);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue([1, 'a'], ['1.0', 'a'])).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue([2, 1], new Set([1, 2]))).toBe(true);
    expect(sameValue({ a: 1, b: { c: 'x' } }, { a: '1', b: { c: 'x' } })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });
});

describe('checkItems', () => {
  it('passes when every listed attribute is equal, numbers by value, unlisted and _sluice attributes ignored', () => {
    const stored = [{ ...usd, revenue: '30.50', largest_order: 20.25 }];
    expect(checkItems({ expected: [{ table: 'revenue', item: { currency: 'USD', day: '2026-11-29', orders: 2, revenue: 30.5 } }], tables: tables(stored), resources })).toEqual([]);
  });

  it('names the item by its key and each attribute that differs, with both values', () => {
    const expected = [{ table: 'revenue', item: { currency: 'USD', day: '2026-11-29', orders: 3, revenue: 30.5, status: 'closed', tags: ['a'] } }];
    expect(checkItems({ expected, tables: tables([{ ...usd, revenue: '30.25', status: 'open' }]), resources })).toEqual([
      'revenue[currency=USD, day=2026-11-29].orders: expected 3, found 2',
      'revenue[currency=USD, day=2026-11-29].revenue: expected 30.5, found 30.25',
      'revenue[currency=USD, day=2026-11-29].status: expected "closed", found "open"',
      'revenue[currency=USD, day=2026-11-29].tags: expected ["a"], found nothing',
    ]);
  });

  it('reports a missing item', () => {
    expect(checkItems({ expected: [{ table: 'revenue', item: { currency: 'GBP', day: '2026-11-29', orders: 1 } }], tables: tables([usd]), resources })).toEqual([
      'revenue[currency=GBP, day=2026-11-29]: expected to exist, not found',
    ]);
  });

  it('finds items with a number key by its value', () => {
    const expected = [{ table: 'counters', item: { n: 1.5, hits: 2 } }];
    expect(checkItems({ expected, tables: new Map([['counters', [{ n: '1.50', hits: 2 }]]]), resources })).toEqual([]);
  });

  it('with onlyThese, reports every item not listed in the tables concerned, but the case\'s own puts', () => {
    const expected = [{ table: 'revenue', item: { currency: 'USD', day: '2026-11-29' } }];
    const stored = tables([usd, eur, { currency: 'AAA', day: 'mine' }]);
    const written = [{ table: 'revenue', put: { currency: 'AAA', day: 'mine' } }];
    expect(checkItems({ expected, tables: stored, resources, onlyTheseTables: ['revenue'], written })).toEqual(['revenue[currency=EUR, day=2026-11-29]: written, but not listed (onlyThese)']);
    // Without onlyThese, unlisted items are not looked at; an empty table listed in onlyThese is fine.
    expect(checkItems({ expected, tables: stored, resources })).toEqual([]);
    expect(checkItems({ expected: [], tables: new Map([['revenue', []]]), resources, onlyTheseTables: ['revenue'] })).toEqual([]);
  });
});
