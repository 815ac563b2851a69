import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AttributeValue, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { BatchWriteItemCommand, ConditionalCheckFailedException, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { scanItems } from '../../../shared/workbench/local/table-items.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { repoRoot } from '../../support/paths.ts';
import { seededRandom } from '../../support/seeded-random.ts';

/**
 * Issue 20: while other clients scanned the orders table, the revenue pipeline lost updates of
 * some groups. Every Scan page cut short (at 1 MB or at its Limit) left a LevelDB snapshot open
 * for good; with snapshots held, LevelDB's compaction could move the newest versions of an item
 * one level down and leave older ones above, so a read answered an older version than the last
 * one written, and a conditional write checked against that version succeeded, replacing every
 * update made since. Here, as then: thousands of orders over many currency/day groups streamed
 * into revenue, clients scanning the orders table page by page the whole time, and another client
 * keeping items of its own in the revenue table (under currencies X0, X1, ... that no currency
 * has) with the read-then-conditional-write the aggregates use, in sets that rest in turn. Once
 * the stream is drained, every group must equal a recomputation from orders, and the other
 * client must have read back, each time, what it had last written.
 */

const ORDERS = 2_000;
const CURRENCIES = ['EUR', 'GBP', 'USD', 'CHF', 'JPY'];
const DAYS = 12;
/** The other client: sets of items, each set updated in turn (so the others rest), items near DynamoDB's size limit. */
const SETS = 20;
const ITEMS_PER_SET = 3;
const UPDATES_PER_ROUND = 6;
const ROUNDS = 20;
const ITEM_BYTES = 350_000;

type Item = Record<string, AttributeValue>;

function makeOrders(random: () => number): Item[] {
  return Array.from({ length: ORDERS }, (_, index) => {
    const currency = CURRENCIES[Math.floor(random() * CURRENCIES.length)]!;
    const day = String(1 + Math.floor(random() * DAYS)).padStart(2, '0');
    // Yen have no minor unit: whole amounts, as in the report.
    const amount = currency === 'JPY' ? String(100 + Math.floor(random() * 900)) : (1 + random() * 899).toFixed(2);
    return {
      order_id: { S: `ord-${String(index).padStart(6, '0')}` },
      currency: { S: currency },
      created_at: { S: `2026-11-${day}T${String(Math.floor(random() * 24)).padStart(2, '0')}:00:00Z` },
      amount: { N: amount },
    };
  });
}

async function batchWrite(client: DynamoDBClient, table: string, items: readonly Item[]): Promise<void> {
  let requests: WriteRequest[] = items.map((item) => ({ PutRequest: { Item: item } }));
  while (requests.length) {
    const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
    requests = answer.UnprocessedItems?.[table] ?? [];
  }
}

/**
 * Paginated COUNT scans of a table, one after the other, until `done()`: what `aws dynamodb scan`
 * does (pages of up to 1 MB) or a dashboard listing a page of items at a time (`limit`).
 */
async function scanUntil(client: DynamoDBClient, table: string, done: () => boolean, limit?: number): Promise<number> {
  let pages = 0;
  while (!done()) {
    let start: Item | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ...(limit ? { Limit: limit } : {}), ...(start ? { ExclusiveStartKey: start } : {}) }));
      start = page.LastEvaluatedKey;
      pages++;
    } while (start && !done());
    // A client on another machine gets its CPU from there; here its scans share the process.
    if (!limit) await sleep(50);
  }
  return pages;
}

/**
 * The other client: optimistic locking, as an application (or the aggregate) does it: read the
 * item's version, write the next one on condition the version is unchanged. After each round it
 * reads back every item it has written. Returns what it saw that was not what it was told it
 * had written.
 */
async function updateOwnItems(client: DynamoDBClient): Promise<string[]> {
  const written = new Map<string, number>();
  const wrong: string[] = [];
  // Each set under a currency of its own: X0, X1, ... (no currency has such a code).
  const keyOf = (name: string) => ({ currency: { S: name.split('/')[0]! }, day: { S: name.split('/')[1]! } });
  const readVersion = async (name: string) => {
    const read = await client.send(new GetItemCommand({ TableName: 'revenue', Key: keyOf(name), ConsistentRead: true, ProjectionExpression: 'version' }));
    return Number(read.Item?.version?.N ?? 0);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const set = round % SETS;
    for (let update = 0; update < UPDATES_PER_ROUND; update++) {
      await Promise.all(
        Array.from({ length: ITEMS_PER_SET }, async (_, index) => {
          const name = `X${set}/item-${index}`;
          const version = await readVersion(name);
          if (version !== (written.get(name) ?? 0)) wrong.push(`${name}: read version ${version} after writing ${written.get(name)}`);
          const condition = version ? { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': { N: String(version) } } } : { ConditionExpression: 'attribute_not_exists(version)' };
          try {
            await client.send(new PutItemCommand({ TableName: 'revenue', Item: { ...keyOf(name), version: { N: String(version + 1) }, body: { S: randomBytes((ITEM_BYTES * 3) / 4).toString('base64') } }, ...condition }));
          } catch (error) {
            // Nobody else writes these items: a refusal is a wrong answer too.
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            wrong.push(`${name}: the write of version ${version + 1} was refused`);
            return;
          }
          written.set(name, version + 1);
        }),
      );
    }
    for (const [name, version] of written) {
      const read = await readVersion(name);
      if (read !== version) wrong.push(`${name}: read version ${read} after writing ${version}`);
    }
  }
  return wrong;
}

/** Count and exact sum (in hundredths) per currency and day, from the orders as written. */
function recompute(orders: readonly Item[]): Map<string, { orders: number; cents: number }> {
  const groups = new Map<string, { orders: number; cents: number }>();
  for (const order of orders) {
    const key = `${order.currency!.S} ${order.created_at!.S!.slice(0, 10)}`;
    const group = groups.get(key) ?? { orders: 0, cents: 0 };
    group.orders++;
    group.cents += Math.round(Number(order.amount!.N) * 100);
    groups.set(key, group);
  }
  return groups;
}

describe('table writes under concurrent reads and writes by other clients', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let orders: Item[];
  let otherClientSaw: string[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-concurrent-'));
    runtime = await startLocalRuntime({ dataDir, pipelinesDir: join(repoRoot, 'pipelines'), logger: createSilentLogger(), streamRetryDelayMs: 10 });
    const client = runtime.dynamodb.client;
    orders = makeOrders(seededRandom(20));
    let streaming = true;
    const scanners = [scanUntil(client, 'orders', () => !streaming), scanUntil(client, 'orders', () => !streaming, 100)];
    const writeOrders = async (from: number, to: number) => {
      for (let start = from; start < to; start += 25) await batchWrite(client, 'orders', orders.slice(start, Math.min(start + 25, to)));
    };
    // Half the orders; then, while the stream is still being folded into revenue, the other
    // client's writes; then the other half, to groups that have rested meanwhile.
    await writeOrders(0, ORDERS / 2);
    [otherClientSaw] = await Promise.all([updateOwnItems(client), runtime.idle()]);
    await writeOrders(ORDERS / 2, ORDERS);
    await runtime.idle();
    streaming = false;
    await Promise.all(scanners);
  }, 120_000);
  afterAll(async () => {
    await runtime?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every revenue group equal to a recomputation from orders', async () => {
    const expected = recompute(orders);
    const revenue = (await scanItems(runtime.dynamodb.client, 'revenue')).filter((item) => CURRENCIES.includes(String(item.currency)));
    const actual = new Map(revenue.map((item) => [`${String(item.currency)} ${String(item.day)}`, { orders: Number(item.orders), cents: Math.round(Number(item.revenue) * 100) }]));
    const wrong = [...expected].filter(([key, group]) => actual.get(key)?.orders !== group.orders || actual.get(key)?.cents !== group.cents);
    expect(wrong.map(([key, group]) => `${key}: expected ${group.orders} orders, ${group.cents / 100}; got ${JSON.stringify(actual.get(key))}`)).toEqual([]);
    expect(actual.size).toBe(expected.size);
  });

  it('answers another client with what it last wrote, and lets its conditional writes build on it', () => {
    expect(otherClientSaw).toEqual([]);
  });
});
