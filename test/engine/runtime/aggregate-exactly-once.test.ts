import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateBatch } from '../../../handlers/aggregate/core.ts';
import { aggregateSpec } from '../../../handlers/aggregate/spec.ts';
import type { ChangeItem } from '../../../shared/contract/handler.ts';
import { applyGroupUpdates } from '../../../shared/engine/runtime/table-output.ts';
import { REVENUE_CONFIG, changeItem } from '../../../handlers/aggregate/test/changes.ts';
import { createTable, startDynalite } from '../../support/dynalite-server.ts';
import type { TestDynamo } from '../../support/dynalite-server.ts';
import { injectFaults } from '../../support/faulty-client.ts';
import { seededRandom } from '../../support/seeded-random.ts';

/**
 * The property: however a stream's batches are delivered (duplicated, partly failed and retried
 * from the lowest failed record as Lambda does with batchItemFailures, replayed by a restarted
 * writer with a new client, two shards written concurrently), every aggregate item ends equal to
 * a recomputation from the source table's final contents. Seeded: a failing case prints its seed,
 * and `PROPERTY_SEED=<seed>` runs that case alone.
 */

const CASES = 200;
const FIRST_SEED = 1;
const PARALLEL_CASES = 4;

const config = aggregateSpec.parse(REVENUE_CONFIG);


/** A number in [0, 1) from text: fault decisions that do not depend on the order of concurrent calls. */
function hashUnit(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 4294967296;
}

type Order = Record<string, unknown>;

const CURRENCIES = ['EUR', 'USD', 'GBP'];
// Few distinct amounts, so groups hold duplicates and removing a minimum often reveals an equal one.
const AMOUNTS = ['-3', '0', '0.1', '0.2', '1', '2.25', '7', '10', '99999999999999999999.99999999999999999'];

function newOrder(id: string, pick: <T>(list: readonly T[]) => T, rng: () => number): Order {
  const day = pick(['01', '02']);
  const second = Math.floor(rng() * 86_400);
  const time = `2024-05-${day}T${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:00Z`;
  const amountText = pick(AMOUNTS);
  // Amounts come as exact wrappers (a stream unmarshalled with wrapNumbers) or as JS numbers.
  const amount = amountText.length > 10 || rng() < 0.5 ? NumberValue.from(amountText) : Number(amountText);
  return { id, currency: pick(CURRENCIES), created_at: rng() < 0.3 ? Date.parse(time) / 1000 : time, amount, note: 'n' };
}

interface Shard {
  source: string;
  records: ChangeItem[];
}

/** A random history of a source table, and its final contents. */
function simulateTable(rng: () => number): { shards: Shard[]; final: Map<string, Order> } {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
  const shards: Shard[] = [0, 1].map((index) => ({ source: `arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024#shardId-${index}`, records: [] }));
  const positions = [0, 0];
  const table = new Map<string, Order>();
  const operations = 6 + Math.floor(rng() * 18);
  let nextId = 0;
  for (let op = 0; op < operations; op++) {
    const ids = [...table.keys()];
    const roll = rng();
    const id = roll < 0.35 || !ids.length ? `o${nextId++}` : pick(ids);
    const shardIndex = Number(id.slice(1)) % 2;
    const shard = shards[shardIndex]!;
    // Sequence numbers grow with gaps, past 2^53.
    positions[shardIndex]! += 1 + Math.floor(rng() * 3);
    const position = positions[shardIndex]!;
    const old = table.get(id);
    let record: ChangeItem;
    if (!old) {
      const created = newOrder(id, pick, rng);
      if (rng() < 0.05) created.amount = 'n/a';
      table.set(id, created);
      record = changeItem('INSERT', position, { newImage: created }, shard.source);
    } else if (roll > 0.8) {
      table.delete(id);
      record = changeItem('REMOVE', position, { oldImage: old }, shard.source);
    } else {
      const updated = { ...old };
      const what = rng();
      if (what < 0.5) updated.amount = newOrder(id, pick, rng).amount;
      else if (what < 0.8) Object.assign(updated, { currency: pick(CURRENCIES), created_at: newOrder(id, pick, rng).created_at });
      else if (what < 0.95) updated.note = `n${op}`;
      else updated.amount = 'n/a';
      table.set(id, updated);
      record = changeItem('MODIFY', position, { oldImage: old, newImage: updated }, shard.source);
    }
    shard.records.push(record);
  }
  return { shards, final: table };
}

/** What each group should hold: computed directly from the final contents, valid records only. */
function recompute(final: Map<string, Order>): Map<string, Record<string, string>> {
  const groups = new Map<string, { count: number; sum: Big; values: Big[] }>();
  for (const order of final.values()) {
    if (order.amount === 'n/a') continue;
    const at = typeof order.created_at === 'number' ? new Date(order.created_at * 1000).toISOString() : String(order.created_at);
    const key = `${String(order.currency)}|${at.slice(0, 10)}`;
    const amount = new Big(String(order.amount));
    const group = groups.get(key) ?? { count: 0, sum: new Big(0), values: [] };
    group.count++;
    group.sum = group.sum.plus(amount);
    group.values.push(amount);
    groups.set(key, group);
  }
  const Exact = Big();
  Exact.DP = 200;
  Exact.NE = -1e6;
  Exact.PE = 1e6;
  return new Map(
    [...groups].map(([key, group]) => {
      const sorted = [...group.values].sort((a, b) => a.cmp(b));
      return [
        key,
        {
          orders: String(group.count),
          revenue: new Exact(group.sum).toFixed(),
          avg_amount: new Exact(group.sum).div(group.count).prec(38, Big.roundHalfEven).toFixed(),
          min_amount: sorted[0]!.toFixed(),
          max_amount: sorted[sorted.length - 1]!.toFixed(),
        },
      ];
    }),
  );
}

async function scanGroups(client: DynamoDBClient, table: string): Promise<Map<string, Record<string, string>>> {
  const answer = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return new Map(
    (answer.Items ?? []).map((raw) => {
      const { currency, day, _sluice: _, ...metrics } = unmarshall(raw, { wrapNumbers: true });
      const spelled = Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, new Big(String(value)).toFixed()]));
      return [`${String(currency)}|${String(day)}`, spelled];
    }),
  );
}

let dynamo: TestDynamo;
let setupClient: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  setupClient = dynamo.newClient();
});
afterAll(() => dynamo?.close());

/** A writer as a new Lambda instance would have: its own client, with this case's faults. */
function newWriter(seed: number, shard: number, deliveries: () => number): DynamoDBClient {
  const client = dynamo.newClient();
  injectFaults(client, ({ command, input }) => {
    // By the item's key only: what else a write holds depends on how the two shards interleaved.
    const item = (input.Key ?? input.Item ?? {}) as Record<string, { S?: string }>;
    const roll = hashUnit(`${seed}:${shard}:${deliveries()}:${command}:${item.currency?.S}:${item.day?.S}`);
    if (command === 'PutItemCommand') return roll < 0.12 ? 'before' : roll < 0.22 ? 'after' : undefined;
    if (command === 'GetItemCommand') return roll < 0.04 ? 'before' : undefined;
    return undefined;
  });
  return client;
}

/** Delivers one shard's records as Lambda's event source mapping would, with what can go wrong. */
async function deliverShard(seed: number, shardIndex: number, shard: Shard, table: string, rng: () => number): Promise<{ deliveries: number; failures: number; restarts: number }> {
  let deliveries = 0;
  let failures = 0;
  let restarts = 0;
  let writer = newWriter(seed, shardIndex, () => deliveries);
  let checkpoint = 0;
  while (checkpoint < shard.records.length) {
    if (++deliveries > 20 + shard.records.length * 10) throw new Error(`shard ${shardIndex} made no progress after ${deliveries} deliveries`);
    const size = 1 + Math.floor(rng() * 6);
    const batch = shard.records.slice(checkpoint, checkpoint + size);
    const { updates } = aggregateBatch(batch, config);
    const result = await applyGroupUpdates(writer, table, updates, { key: ['currency', 'day'] });
    if (result.failed.length) {
      failures++;
      // batchItemFailures: the lowest position among the failed updates' records; Lambda resumes there.
      const lowest = result.failed
        .flatMap((failure) => failure.update.contributions.map((contribution) => BigInt(contribution.origin.position)))
        .reduce((a, b) => (a < b ? a : b));
      checkpoint = shard.records.findIndex((record) => BigInt(record.origin.position) === lowest);
      expect(checkpoint).toBeGreaterThanOrEqual(0);
    } else if (rng() >= 0.15) {
      // Otherwise the acknowledgement was lost and the same batch comes again.
      checkpoint += batch.length;
    }
    if (rng() < 0.1) {
      // A restart: a new instance, a new client, resuming from an older checkpoint (or the start).
      restarts++;
      writer.destroy();
      writer = newWriter(seed, shardIndex, () => deliveries);
      checkpoint = rng() < 0.3 ? 0 : Math.max(0, checkpoint - Math.floor(rng() * 4));
    }
  }
  writer.destroy();
  return { deliveries, failures, restarts };
}

async function runCase(seed: number): Promise<{ deliveries: number; failures: number; restarts: number; records: number }> {
  const rng = seededRandom(seed);
  const { shards, final } = simulateTable(rng);
  const table = `aggregate-case-${seed}`;
  await createTable(setupClient, table, { name: 'currency', type: 'S' }, { name: 'day', type: 'S' });
  // Each shard gets its own random stream, so their concurrent interleaving does not change either path.
  const stats = await Promise.all(shards.map((shard, index) => deliverShard(seed, index, shard, table, seededRandom(seed * 7919 + index))));

  const expected = recompute(final);
  const actual = await scanGroups(setupClient, table);
  for (const [group, metrics] of actual) {
    const want = expected.get(group) ?? { orders: '0', revenue: '0' };
    expect(metrics, `seed ${seed}, group ${group}`).toEqual(want);
  }
  for (const group of expected.keys()) expect(actual.has(group), `seed ${seed}: group ${group} has no item`).toBe(true);
  return {
    deliveries: stats.reduce((sum, stat) => sum + stat.deliveries, 0),
    failures: stats.reduce((sum, stat) => sum + stat.failures, 0),
    restarts: stats.reduce((sum, stat) => sum + stat.restarts, 0),
    records: shards.reduce((sum, shard) => sum + shard.records.length, 0),
  };
}

describe('aggregate into a table, exactly once in effect (property)', () => {
  it(`${process.env.PROPERTY_SEED ? `seed ${process.env.PROPERTY_SEED}` : `${CASES} seeded cases`}: every item equals a recomputation from the source table`, async () => {
    const seeds = process.env.PROPERTY_SEED ? [Number(process.env.PROPERTY_SEED)] : Array.from({ length: CASES }, (_, index) => FIRST_SEED + index);
    const totals = { deliveries: 0, failures: 0, restarts: 0, records: 0 };
    // A few cases at a time: each waits on its own requests, so they overlap.
    for (let start = 0; start < seeds.length; start += PARALLEL_CASES) {
      for (const stats of await Promise.all(seeds.slice(start, start + PARALLEL_CASES).map(runCase))) {
        for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += stats[key];
      }
    }
    // The cases did exercise what they are about.
    if (seeds.length > 1) {
      expect(totals.failures).toBeGreaterThan(seeds.length / 2);
      expect(totals.restarts).toBeGreaterThan(seeds.length / 2);
      expect(totals.deliveries).toBeGreaterThan(totals.records / 3);
    }
  }, 60_000);
});
