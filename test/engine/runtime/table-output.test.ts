import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateBatch } from '../../../handlers/aggregate/core.ts';
import { aggregateSpec } from '../../../handlers/aggregate/spec.ts';
import { APPLIED_RETENTION_MS } from '../../../shared/engine/runtime/applied-positions.ts';
import { applyGroupUpdates } from '../../../shared/engine/runtime/table-output.ts';
import type { ChangeItem, GroupUpdateItem } from '../../../shared/contract/handler.ts';
import { SHARD, changeItem, insert, modify, remove, sequence } from '../../../handlers/aggregate/test/changes.ts';
import { createTable, startDynalite } from '../../support/dynalite-server.ts';
import type { TestDynamo } from '../../support/dynalite-server.ts';
import { injectFaults } from '../../support/faulty-client.ts';

const config = aggregateSpec.parse({
  groupBy: ['currency', { field: 'created_at', window: 'day', as: 'day' }],
  metrics: [
    { op: 'count', as: 'orders' },
    { op: 'sum', field: 'amount', as: 'revenue' },
    { op: 'min', field: 'amount', as: 'min_amount' },
    { op: 'max', field: 'amount', as: 'max_amount' },
  ],
});

const order = (id: string, currency: string, amount: unknown, day = '01') => ({ id, currency, amount, created_at: `2024-05-${day}T10:00:00Z` });

let dynamo: TestDynamo;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  client = dynamo.newClient();
});
afterAll(() => dynamo?.close());

/** A fresh output table keyed like the aggregate's groups: currency, then day. */
async function newTable(): Promise<string> {
  const table = `daily-revenue-${++tables}`;
  await createTable(client, table, { name: 'currency', type: 'S' }, { name: 'day', type: 'S' });
  return table;
}

async function readItem(table: string, currency: string, day = '2024-05-01', reader = client): Promise<Record<string, AttributeValue> | undefined> {
  const answer = await reader.send(new GetItemCommand({ TableName: table, Key: { currency: { S: currency }, day: { S: day } }, ConsistentRead: true }));
  return answer.Item;
}

/** What users read: the item without its bookkeeping, numbers as their exact text. */
async function readAttributes(table: string, currency: string, day?: string): Promise<Record<string, unknown> | undefined> {
  const item = await readItem(table, currency, day);
  if (!item) return undefined;
  const { _sluice: _, ...rest } = unmarshall(item, { wrapNumbers: true });
  return Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, value instanceof NumberValue ? value.toString() : value]));
}

const updatesOf = (...items: ChangeItem[]): GroupUpdateItem[] => aggregateBatch(items, config).updates;

describe('applyGroupUpdates', () => {
  it('writes one item per group with the metrics, exact numbers and the hidden bookkeeping', async () => {
    const table = await newTable();
    const big = '12345678901234567890123456789.012345678';
    const result = await applyGroupUpdates(client, table, updatesOf(insert(1, order('a', 'EUR', NumberValue.from(big))), insert(2, order('b', 'EUR', 0.1)), insert(3, order('c', 'USD', 7))), { now: () => 1_000 });
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(2);
    expect(await readAttributes(table, 'EUR')).toEqual({ currency: 'EUR', day: '2024-05-01', orders: '2', revenue: '12345678901234567890123456789.112345678', min_amount: '0.1', max_amount: big });
    const item = await readItem(table, 'USD');
    expect(item?.revenue).toEqual({ N: '7' });
    const book = unmarshall(item!)._sluice as { version: number; state: string; applied: Record<string, unknown> };
    expect(book).toEqual({ version: 1, state: expect.any(String), applied: { [SHARD]: { position: sequence(3), at: 1_000 } } });
    expect(JSON.parse(book.state)).toEqual({ count: 1, sums: { amount: '7' }, values: { amount: { '7': 1 } } });
  });

  it('applies a batch delivered twice once', async () => {
    const table = await newTable();
    const batch = [insert(1, order('a', 'EUR', 5)), insert(2, order('b', 'USD', 3)), insert(3, order('c', 'EUR', 2))];
    await applyGroupUpdates(client, table, updatesOf(...batch));
    const before = await readItem(table, 'EUR');
    const again = await applyGroupUpdates(client, table, updatesOf(...batch));
    expect(again.applied).toEqual([]);
    expect(again.skipped).toHaveLength(2);
    expect(await readItem(table, 'EUR')).toEqual(before);
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '2', revenue: '7' });
  });

  it('a retried partial batch applies only what failed, even when a write was applied but its answer lost', async () => {
    const table = await newTable();
    const faulty = dynamo.newClient();
    // The EUR write fails before it is sent; the USD write is applied but reported as failed.
    const calls = injectFaults(faulty, ({ command, input }) => {
      if (command !== 'PutItemCommand') return undefined;
      const currency = (input.Item as Record<string, AttributeValue>).currency?.S;
      return currency === 'EUR' ? 'before' : currency === 'USD' ? 'after' : undefined;
    });
    const batch = [insert(1, order('a', 'GBP', 1)), insert(2, order('b', 'EUR', 5)), insert(3, order('c', 'USD', 3)), modify(4, order('a', 'GBP', 1), order('a', 'EUR', 1)), insert(5, order('d', 'GBP', 8))];
    const first = await applyGroupUpdates(faulty, table, updatesOf(...batch));
    expect(first.applied.map((update) => update.group.currency)).toEqual(['GBP']);
    expect(first.failed.map((failure) => [failure.update.group.currency, String(failure.error)]).sort()).toEqual([
      ['EUR', 'InjectedFault: injected failure before PutItemCommand'],
      ['USD', 'InjectedFault: injected failure after PutItemCommand (it was applied)'],
    ]);
    expect(calls.filter((call) => call.command === 'PutItemCommand')).toHaveLength(3);
    // Lambda redelivers from the lowest failed position: record 2 onwards.
    const lowest = first.failed.flatMap((failure) => failure.update.contributions.map((contribution) => BigInt(contribution.origin.position))).reduce((a, b) => (a < b ? a : b));
    expect(lowest).toBe(BigInt(sequence(2)));
    const retry = await applyGroupUpdates(client, table, updatesOf(...batch.slice(1)));
    expect(retry.applied.map((update) => update.group.currency)).toEqual(['EUR']);
    expect(retry.skipped.map((update) => update.group.currency).sort()).toEqual(['GBP', 'USD']);
    expect(await readAttributes(table, 'GBP')).toMatchObject({ orders: '1', revenue: '8' });
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '2', revenue: '6' });
    expect(await readAttributes(table, 'USD')).toMatchObject({ orders: '1', revenue: '3' });
  });

  it('a batch replayed after a restart (a new writer, a new client) changes nothing', async () => {
    const table = await newTable();
    const batch = [insert(1, order('a', 'EUR', 5)), modify(2, order('a', 'EUR', 5), order('a', 'EUR', 9)), insert(3, order('b', 'EUR', 1))];
    await applyGroupUpdates(client, table, updatesOf(...batch));
    const restarted = dynamo.newClient();
    const replay = await applyGroupUpdates(restarted, table, updatesOf(...batch));
    expect(replay.skipped).toHaveLength(1);
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '2', revenue: '10', min_amount: '1', max_amount: '9' });
    // And the next batch goes on from there.
    await applyGroupUpdates(restarted, table, updatesOf(...batch, remove(4, order('a', 'EUR', 9))));
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '1', revenue: '1', min_amount: '1', max_amount: '1' });
  });

  it('concurrent writers on one item lose races, re-read and retry, and lose no update', async () => {
    const table = await newTable();
    const writers = Array.from({ length: 12 }, () => dynamo.newClient());
    const puts = writers.map((writer) => injectFaults(writer, () => undefined));
    // Each writer reads its own shard: the positions of different sources are unrelated.
    const results = await Promise.all(
      writers.map((writer, index) => {
        const items = [changeItem('INSERT', 1, { newImage: order(`w${index}-a`, 'EUR', index) }, `shard-${index}`), changeItem('INSERT', 2, { newImage: order(`w${index}-b`, 'EUR', 1) }, `shard-${index}`)];
        return applyGroupUpdates(writer, table, aggregateBatch(items, config).updates);
      }),
    );
    expect(results.flatMap((result) => result.failed)).toEqual([]);
    const attempts = puts.flat().filter((call) => call.command === 'PutItemCommand').length;
    expect(attempts).toBeGreaterThan(writers.length);
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '24', revenue: String(66 + 12), min_amount: '0', max_amount: '11' });
    const book = unmarshall((await readItem(table, 'EUR'))!)._sluice as { version: number; applied: Record<string, unknown> };
    expect(book.version).toBe(12);
    expect(Object.keys(book.applied)).toHaveLength(12);
  });

  it('compares positions as BigInt: sequence numbers differing past 2^53 are told apart', async () => {
    const table = await newTable();
    expect(Number(sequence(1))).toBe(Number(sequence(2)));
    await applyGroupUpdates(client, table, updatesOf(insert(1, order('a', 'EUR', 5))));
    const next = await applyGroupUpdates(client, table, updatesOf(insert(2, order('b', 'EUR', 6))));
    expect(next.applied).toHaveLength(1);
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '2', revenue: '11' });
  });

  it('forgets a source 48 hours after it was last applied', async () => {
    const table = await newTable();
    const start = Date.UTC(2024, 4, 1);
    await applyGroupUpdates(client, table, updatesOf(insert(1, order('a', 'EUR', 5))), { now: () => start });
    const later = [changeItem('INSERT', 1, { newImage: order('b', 'EUR', 1) }, 'shard-2')];
    await applyGroupUpdates(client, table, aggregateBatch(later, config).updates, { now: () => start + APPLIED_RETENTION_MS });
    const kept = unmarshall((await readItem(table, 'EUR'))!)._sluice as { applied: Record<string, unknown> };
    expect(Object.keys(kept.applied).sort()).toEqual([SHARD, 'shard-2'].sort());
    const muchLater = [changeItem('INSERT', 2, { newImage: order('c', 'EUR', 1) }, 'shard-2')];
    await applyGroupUpdates(client, table, aggregateBatch(muchLater, config).updates, { now: () => start + APPLIED_RETENTION_MS + 1 });
    const pruned = unmarshall((await readItem(table, 'EUR'))!)._sluice as { applied: Record<string, unknown> };
    expect(Object.keys(pruned.applied)).toEqual(['shard-2']);
  });

  it('keeps a group whose records are all removed, with count 0, and recognises late redeliveries', async () => {
    const table = await newTable();
    const batch = [insert(1, order('a', 'EUR', 5)), remove(2, order('a', 'EUR', 5))];
    await applyGroupUpdates(client, table, updatesOf(batch[0]!));
    await applyGroupUpdates(client, table, updatesOf(batch[1]!));
    expect(await readAttributes(table, 'EUR')).toEqual({ currency: 'EUR', day: '2024-05-01', orders: '0', revenue: '0' });
    expect((await applyGroupUpdates(client, table, updatesOf(...batch))).skipped).toHaveLength(1);
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '0' });
  });

  it('writes several updates of one item in one call as one write', async () => {
    const table = await newTable();
    const writer = dynamo.newClient();
    const calls = injectFaults(writer, () => undefined);
    const a = updatesOf(insert(1, order('a', 'EUR', 5)), insert(3, order('c', 'EUR', 1)));
    const b = updatesOf(insert(2, order('b', 'EUR', 2)));
    const result = await applyGroupUpdates(writer, table, [...a, ...b]);
    expect(result.applied).toHaveLength(2);
    expect(calls.filter((call) => call.command === 'PutItemCommand')).toHaveLength(1);
    expect(await readAttributes(table, 'EUR')).toMatchObject({ orders: '3', revenue: '8' });
  });

  it('fails an update whose group lacks a key attribute, naming it, and applies the others', async () => {
    const table = `by-store-${++tables}`;
    await createTable(client, table, { name: 'store', type: 'S' });
    const result = await applyGroupUpdates(client, table, updatesOf(insert(1, order('a', 'EUR', 5))));
    expect(result.failed.map((failure) => (failure.error as Error).message)).toEqual([`no attribute "store", the partition key of table ${table}`]);
    const byStore = aggregateBatch([insert(2, { store: 'north', amount: 1 })], aggregateSpec.parse({ groupBy: ['store'] })).updates;
    expect((await applyGroupUpdates(client, table, byStore)).applied).toHaveLength(1);
  });

  it('fails an item that would exceed 400 KB with a reason, before writing it', async () => {
    const table = await newTable();
    // 20000 distinct values of a min/max field in one group.
    const items = Array.from({ length: 20_000 }, (_, index) => insert(index + 1, order(`o${index}`, 'EUR', NumberValue.from(`${index}.123456789012345`))));
    const result = await applyGroupUpdates(client, table, updatesOf(...items));
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.error).toMatchObject({ code: 'ITEM_TOO_LARGE', permanent: true });
    expect((result.failed[0]!.error as Error).message).toMatch(
      /^the item currency="EUR", day="2024-05-01" of table daily-revenue-\d+ would be \d+ KB, over DynamoDB's 400 KB item limit \(largest: _sluice \d+ KB, /,
    );
    expect(await readItem(table, 'EUR')).toBeUndefined();
  });

  it('fails every update when the table cannot be described, without throwing', async () => {
    const result = await applyGroupUpdates(client, 'no-such-table', updatesOf(insert(1, order('a', 'EUR', 5))));
    expect(result.failed).toHaveLength(1);
    expect(String(result.failed[0]!.error)).toMatch(/ResourceNotFoundException/);
  });
});
