/**
 * Stream aggregation: the shipped revenue pipeline over a synthetic orders stream, against what a
 * user would write without Sluice, printed side by side as ratios (one run, same embedded server).
 *
 *   pipeline (coalesced)   handleStreamEvent per batch of 100, as the Lambda entry and the local
 *                          event source mapping call it: the aggregate step folds the batch into
 *                          one update per group, and the table output applies each with one read
 *                          and one conditional write, exactly once in effect.
 *   per-record baseline    one UpdateItem per record (ADD the count and the amount, subtract the
 *                          old image first for MODIFY and REMOVE): the usual hand-written handler,
 *                          with no exactly-once protection at all.
 *
 * Reported: records aggregated per second, table writes per 1,000 records, and the ratios.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { buildDynamoDBStreamEvent, buildDynamoDBStreamRecord } from '../events/dynamodb/generate.ts';
import type { DynamoDBStreamRecord } from '../events/dynamodb/schema.ts';
import { createSilentLogger } from '../shared/contract/logger.ts';
import { startEmbeddedDynamoDB } from '../shared/workbench/embedded-dynamodb/server.ts';
import { startEmbeddedS3 } from '../shared/workbench/embedded-s3/s3-server.ts';
import { loadPipelineFile } from '../shared/workbench/project/load-project.ts';
import { compilePipeline } from '../shared/engine/runtime/compile.ts';
import { handleStreamEvent } from '../shared/engine/runtime/handle-stream-event.ts';
import { recordFigure, times } from './figures.ts';

const root = join(import.meta.dirname, '..');
const RECORDS = Number(process.env.BENCH_STREAM_RECORDS ?? 5000);
const BATCH = 100;
const CURRENCIES = ['USD', 'EUR', 'GBP'];
const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];

type Order = Record<string, unknown> & {
  order_id: string;
  currency: string;
  created_at: string;
  amount: number;
};

/** A seeded mix as a shop's orders table sees it: 80 % new orders, 15 % changed (some to another currency), 5 % cancelled. */
function syntheticStream(count: number): DynamoDBStreamRecord[] {
  let seed = 20261129;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const live: Order[] = [];
  const records: DynamoDBStreamRecord[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.8 || live.length < 10) {
      const order = { order_id: `o-${i}`, currency: pick(CURRENCIES), created_at: `${pick(DAYS)}T12:00:00Z`, amount: Math.round(next() * 50000) / 100 };
      live.push(order);
      records.push(buildDynamoDBStreamRecord({ table: 'orders', eventName: 'INSERT', keys: { order_id: order.order_id }, newImage: order }));
    } else if (roll < 0.95) {
      const index = Math.floor(next() * live.length);
      const old = live[index]!;
      const changed = { ...old, amount: Math.round(next() * 50000) / 100, ...(next() < 0.2 ? { currency: pick(CURRENCIES) } : {}) };
      live[index] = changed;
      records.push(buildDynamoDBStreamRecord({ table: 'orders', eventName: 'MODIFY', keys: { order_id: old.order_id }, newImage: changed, oldImage: old }));
    } else {
      const [old] = live.splice(Math.floor(next() * live.length), 1);
      records.push(buildDynamoDBStreamRecord({ table: 'orders', eventName: 'REMOVE', keys: { order_id: old!.order_id }, oldImage: old! }));
    }
  }
  return records;
}

/** Counts the table writes a client sends. */
function countingClient(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): { client: DynamoDBClient; writes: () => number } {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  let writes = 0;
  const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITES.has(context.commandName ?? '')) writes++;
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  return { client, writes: () => writes };
}

/** What a hand-written handler does per record: subtract the old image, add the new one. */
async function perRecord(client: DynamoDBClient, record: DynamoDBStreamRecord): Promise<void> {
  const apply = async (image: Record<string, { S?: string; N?: string }> | undefined, sign: 1 | -1) => {
    if (!image) return;
    await client.send(
      new UpdateItemCommand({
        TableName: 'revenue-naive',
        Key: { currency: { S: image.currency!.S! }, day: { S: image.created_at!.S!.slice(0, 10) } },
        UpdateExpression: 'ADD orders :count, revenue :amount',
        ExpressionAttributeValues: { ':count': { N: String(sign) }, ':amount': { N: sign === 1 ? image.amount!.N! : `-${image.amount!.N!}` } },
      }),
    );
  };
  const { dynamodb } = record;
  await apply(dynamodb.OldImage as never, -1);
  await apply(dynamodb.NewImage as never, 1);
}

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-aggregate-'));
const key = { partitionKey: { name: 'currency', type: 'S' as const }, sortKey: { name: 'day', type: 'S' as const } };
const s3 = await startEmbeddedS3({ dataDir: dir, buckets: ['quarantine'] });
const dynamo = await startEmbeddedDynamoDB({ dataDir: dir, tables: { revenue: key, 'revenue-naive': key } });
try {
  const records = syntheticStream(RECORDS);
  const batches: DynamoDBStreamRecord[][] = [];
  for (let i = 0; i < records.length; i += BATCH) batches.push(records.slice(i, i + BATCH));
  const compiled = compilePipeline(await loadPipelineFile(join(root, 'pipelines', 'revenue.yml')));

  const coalesced = countingClient(dynamo.endpoint, dynamo.credentials);
  const deps = { s3: s3.client, dynamodb: coalesced.client, logger: createSilentLogger() };
  let started = performance.now();
  for (const batch of batches) {
    const result = await handleStreamEvent(compiled, buildDynamoDBStreamEvent(batch), deps);
    if (result.batchItemFailures.length || result.quarantined) throw new Error('the benchmark batch failed');
  }
  const pipelineMs = performance.now() - started;

  const naive = countingClient(dynamo.endpoint, dynamo.credentials);
  started = performance.now();
  for (const record of records) await perRecord(naive.client, record);
  const naiveMs = performance.now() - started;

  const perSecond = (ms: number) => Math.round((records.length / ms) * 1000);
  const per1000 = (writes: number) => ((writes / records.length) * 1000).toFixed(1);
  console.log(`\nstream aggregation: ${records.length} records (${CURRENCIES.length * DAYS.length} groups), batches of ${BATCH}, one shard`);
  console.log(`  pipeline (coalesced)  ${String(perSecond(pipelineMs)).padStart(7)} records/s  ${per1000(coalesced.writes()).padStart(7)} table writes per 1,000 records`);
  console.log(`  per-record baseline   ${String(perSecond(naiveMs)).padStart(7)} records/s  ${per1000(naive.writes()).padStart(7)} table writes per 1,000 records`);
  recordFigure({ bench: 'stream aggregation', what: 'revenue pipeline / per-record UpdateItem handler, time', value: times(pipelineMs / naiveMs), detail: `${perSecond(pipelineMs)} vs ${perSecond(naiveMs)} records/s, ${records.length} records` });
  recordFigure({ bench: 'stream aggregation', what: 'revenue pipeline / per-record UpdateItem handler, table writes', value: times(coalesced.writes() / naive.writes()), detail: `${per1000(coalesced.writes())} vs ${per1000(naive.writes())} per 1,000 records` });
  console.log(`  ratios: time ${(pipelineMs / naiveMs).toFixed(2)}x the baseline's, writes ${(coalesced.writes() / naive.writes()).toFixed(3)}x (the baseline double-counts any redelivered record; the pipeline does not)`);
} finally {
  await dynamo.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
}
