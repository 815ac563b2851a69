import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { scanItems } from '../../../shared/workbench/local/table-items.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { repoRoot } from '../../support/paths.ts';

/** What revenue.yml must hold: count and exact sum per currency and day, from the orders as they are now. */
function recompute(orders: readonly Record<string, unknown>[]): Record<string, { orders: number; revenue: number }> {
  const groups: Record<string, { orders: number; cents: number }> = {};
  for (const order of orders) {
    if (typeof order.amount !== 'number') continue;
    const key = `${String(order.currency)} ${String(order.created_at).slice(0, 10)}`;
    const group = (groups[key] ??= { orders: 0, cents: 0 });
    group.orders++;
    group.cents += Math.round(order.amount * 100);
  }
  return Object.fromEntries(Object.entries(groups).map(([key, group]) => [key, { orders: group.orders, revenue: group.cents / 100 }]));
}

async function revenueTable(runtime: LocalRuntime): Promise<Record<string, { orders: number; revenue: number }>> {
  const items = await scanItems(runtime.dynamodb.client, 'revenue');
  return Object.fromEntries(items.filter((item) => Number(item.orders) > 0).map((item) => [`${String(item.currency)} ${String(item.day)}`, { orders: Number(item.orders), revenue: Number(item.revenue) }]));
}

describe('table streams in the local runtime: the shipped revenue pipeline', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  const start = () => startLocalRuntime({ dataDir, pipelinesDir: join(repoRoot, 'pipelines'), logger: createSilentLogger(), streamRetryDelayMs: 10 });
  const documents = () => DynamoDBDocumentClient.from(runtime.dynamodb.client);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-streams-'));
    runtime = await start();
  });
  afterAll(async () => {
    await runtime?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps revenue equal to a recomputation from orders under inserts, updates (also of the group) and deletes', async () => {
    const db = documents();
    const put = (order_id: string, currency: string, created_at: string, amount: number) => db.send(new PutCommand({ TableName: 'orders', Item: { order_id, currency, created_at, amount, status: 'paid' } }));
    await put('a', 'USD', '2026-11-28T10:00:00Z', 10.1);
    await put('b', 'USD', '2026-11-28T23:59:59Z', 0.2);
    await put('c', 'EUR', '2026-11-29T00:00:00Z', 99.99);
    await put('d', 'EUR', '2026-11-29T08:00:00Z', 5);
    await runtime.idle();
    // An update within the group, one that moves an order to another currency, a delete, and a put of an unchanged item (no stream record).
    await db.send(new UpdateCommand({ TableName: 'orders', Key: { order_id: 'a' }, UpdateExpression: 'SET amount = :a', ExpressionAttributeValues: { ':a': 12.3 } }));
    await db.send(new UpdateCommand({ TableName: 'orders', Key: { order_id: 'c' }, UpdateExpression: 'SET currency = :c', ExpressionAttributeValues: { ':c': 'GBP' } }));
    await db.send(new DeleteCommand({ TableName: 'orders', Key: { order_id: 'd' } }));
    await put('b', 'USD', '2026-11-28T23:59:59Z', 0.2);
    await runtime.idle();
    const orders = await scanItems(runtime.dynamodb.client, 'orders');
    expect(await revenueTable(runtime)).toEqual(recompute(orders));
    expect(await revenueTable(runtime)).toEqual({ 'USD 2026-11-28': { orders: 2, revenue: 12.5 }, 'GBP 2026-11-29': { orders: 1, revenue: 99.99 } });
  });

  it('rejects a bad order into the quarantine with the field, and counts the rest', async () => {
    const db = documents();
    await db.send(new PutCommand({ TableName: 'orders', Item: { order_id: 'bad', currency: 'USD', created_at: '2026-11-28T12:00:00Z', amount: '12,50' } }));
    await runtime.idle();
    const stats = runtime.stats.all().find((s) => s.pipeline === 'revenue')!;
    expect(stats.rejected).toBe(1);
    expect(stats.rejections[0]!.reason).toBe('step aggregate: amount: expected a number, found a string');
    expect(stats.rejections[0]!.key).toMatch(/^quarantine\/revenue\/orders\/\d{21,}-\d{21,}\.rejected\.json$/);
  });

  it('after a restart, resumes after the last acknowledged record; replayed from the start, counts nothing twice', async () => {
    const before = await revenueTable(runtime);
    await runtime.close();
    runtime = await start();
    await runtime.idle();
    expect(runtime.stats.all().find((s) => s.pipeline === 'revenue')!.itemsIn).toBe(0);
    expect(await revenueTable(runtime)).toEqual(before);

    // Forget every checkpoint, as a crash before any was written would: the whole stream is delivered again.
    await runtime.close();
    const file = join(dataDir, 'streams', 'checkpoints.json');
    const checkpoints = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    await writeFile(file, JSON.stringify(Object.fromEntries(Object.keys(checkpoints).map((key) => [key, '']))));
    runtime = await start();
    await runtime.idle();
    expect(runtime.stats.all().find((s) => s.pipeline === 'revenue')!.itemsIn).toBeGreaterThan(5);
    expect(await revenueTable(runtime)).toEqual(before);

    await documents().send(new PutCommand({ TableName: 'orders', Item: { order_id: 'e', currency: 'USD', created_at: '2026-11-28T01:00:00Z', amount: 7.5 } }));
    await runtime.idle();
    expect((await revenueTable(runtime))['USD 2026-11-28']).toEqual({ orders: 3, revenue: 20 });
  });
});
