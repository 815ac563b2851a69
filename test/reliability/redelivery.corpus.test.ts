import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDynamoDBStreamEvent, buildDynamoDBStreamRecord } from '../../events/dynamodb/generate.ts';
import type { DynamoDBStreamRecord } from '../../events/dynamodb/schema.ts';
import { buildS3Event, buildS3EventRecord } from '../../events/s3/generate.ts';
import type { S3Event } from '../../events/s3/schema.ts';
import { startLocalRuntime } from '../../shared/workbench/local/local-runtime.ts';
import { scanItems } from '../../shared/workbench/local/table-items.ts';
import { startEmbeddedS3 } from '../../shared/workbench/embedded-s3/s3-server.ts';
import { createSilentLogger } from '../../shared/contract/logger.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { captureState, env, pipelinesDir, writeWorkload } from './workload.ts';

/**
 * S3 and DynamoDB Streams deliver at least once, and S3 in no particular order. Driving the shipped
 * pipelines the way Lambda invokes them (through the local runtime's invoke), events delivered
 * duplicated, shuffled and concurrently, and stream batches delivered again after later ones, must
 * leave the same buckets and tables as one in-order delivery of each.
 */

const SEED = 8;

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The workload's files as they would be uploaded (`{ key, file }`), images and CSVs, plus a second version of one image. */
async function uploadsOf(dir: string): Promise<{ key: string; file: string }[]> {
  const puts = await writeWorkload(dir, SEED, 3, 30);
  const uploads: { key: string; file: string }[] = [];
  for (let i = 1; i < puts.length; i += 2) {
    const [target, path] = puts[i]!.split('=') as [string, string];
    const prefix = target.slice('uploads/'.length);
    if (path.endsWith('.csv') || /\.(jpg|png|webp)$/.test(path)) uploads.push({ key: `${prefix}/${path.split('/').pop()}`, file: path });
    else for (const name of await readdir(path)) uploads.push({ key: `${prefix}/${name}`, file: join(path, name) });
  }
  return uploads;
}

/**
 * Uploads everything without delivering a single event (a server with no bridge), then delivers
 * `events` to each pipeline they trigger as its function would be invoked, `parallel` at a time,
 * and waits for the chains (orders → revenue through the table's stream) to settle.
 */
async function deliverAll(dataDir: string, uploads: { key: string; file: string }[], order: (events: S3Event[]) => S3Event[], parallel: number): Promise<void> {
  const s3 = await startEmbeddedS3({ dataDir, buckets: ['uploads', 'media', 'quarantine'] });
  const events: S3Event[] = [];
  try {
    for (const { key, file } of uploads) {
      const written = await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: await readFile(file) }));
      events.push(buildS3Event([buildS3EventRecord({ bucket: 'uploads', key, eTag: written.ETag!.replace(/"/g, ''), size: 1 })]));
    }
  } finally {
    await s3.close();
  }
  const saved = process.env.SLUICE_PII_SALT;
  process.env.SLUICE_PII_SALT = env.SLUICE_PII_SALT;
  const runtime = await startLocalRuntime({ dataDir, pipelinesDir, logger: createSilentLogger() });
  try {
    const queue = order(events);
    const pipelineOf = (event: S3Event) => (event.Records[0]!.s3.object.key.startsWith('orders') ? 'orders-ingest' : 'thumbnails');
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let event = queue.shift(); event; event = queue.shift()) await runtime.invoke(pipelineOf(event), event);
      }),
    );
    await runtime.idle();
  } finally {
    await runtime.close();
    if (saved === undefined) delete process.env.SLUICE_PII_SALT;
    else process.env.SLUICE_PII_SALT = saved;
  }
}

describe('redelivered and reordered S3 events', () => {
  let root: string;
  let uploads: { key: string; file: string }[];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-redelivery-'));
    uploads = await uploadsOf(join(root, 'work'));
    // A second version of an image, uploaded after the first: its events may come in either order.
    const harbour = uploads.find((upload) => upload.key.endsWith('harbour-dawn.jpg'))!;
    uploads.push({ key: harbour.key, file: uploads.find((upload) => upload.key.endsWith('Landscape_6.jpg'))!.file });
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('duplicated three times, shuffled and delivered four at a time, leave the state of one in-order delivery', async () => {
    await deliverAll(join(root, 'in-order'), uploads, (events) => events, 1);
    const random = seededRandom(SEED);
    await deliverAll(join(root, 'hostile'), uploads, (events) => shuffle([...events, ...events, ...events], random), 4);
    const reference = await captureState(join(root, 'in-order'));
    expect(Object.keys(reference.objects).filter((key) => key.startsWith('media/')).length).toBeGreaterThan(10);
    expect(reference.tables.revenue!.length).toBeGreaterThan(5);
    expect(await captureState(join(root, 'hostile'))).toEqual(reference);
  }, 120_000);
});

describe('redelivered stream batches', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-redelivery-stream-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  /** A history of the orders table: inserts, updates (some moving an order to another day or currency) and deletes, as stream records in order. */
  function history(random: () => number): DynamoDBStreamRecord[] {
    const orders = new Map<string, Record<string, unknown>>();
    const records: DynamoDBStreamRecord[] = [];
    let sequence = 1000n;
    const order = (id: string) => ({ order_id: id, currency: ['EUR', 'USD'][Math.floor(random() * 2)], created_at: `2026-11-${20 + Math.floor(random() * 3)}T10:00:00Z`, amount: Math.floor(random() * 10_000) / 100 });
    for (let i = 0; i < 120; i++) {
      const id = `o-${Math.floor(random() * 40)}`;
      const old = orders.get(id);
      const roll = random();
      const base = { table: 'orders', keys: { order_id: id }, viewType: 'NEW_AND_OLD_IMAGES' as const, sequenceNumber: String((sequence += 100n)).padStart(21, '0') };
      if (old && roll < 0.25) {
        orders.delete(id);
        records.push(buildDynamoDBStreamRecord({ ...base, eventName: 'REMOVE', oldImage: old }));
      } else {
        const next = order(id);
        orders.set(id, next);
        records.push(buildDynamoDBStreamRecord({ ...base, eventName: old ? 'MODIFY' : 'INSERT', newImage: next, ...(old ? { oldImage: old } : {}) }));
      }
    }
    return records;
  }

  it('a batch delivered again, alone, inside a larger one, or after later batches, counts once', async () => {
    const random = seededRandom(SEED);
    const records = history(random);
    const batches = Array.from({ length: 12 }, (_, i) => records.slice(i * 10, i * 10 + 10));
    // As Lambda may: every batch in order, and again after later ones (retries, replays after a
    // restart, a partial batch response resent from its lowest failure), alone or merged with its neighbours.
    const hostile: DynamoDBStreamRecord[][] = [];
    batches.forEach((batch, index) => {
      hostile.push(batch);
      if (random() < 0.6) hostile.push(batches[Math.floor(random() * (index + 1))]!);
      if (index > 1 && random() < 0.4) hostile.push([...batches[index - 2]!, ...batches[index - 1]!, ...batch].slice(Math.floor(random() * 10)));
    });
    hostile.push(...shuffle(batches, random).slice(0, 5));

    const revenueAfter = async (deliveries: DynamoDBStreamRecord[][], folder: string) => {
      const runtime = await startLocalRuntime({ dataDir: join(dataDir, folder), pipelinesDir, logger: createSilentLogger() });
      try {
        for (const batch of deliveries) {
          const result = await runtime.invoke('revenue', buildDynamoDBStreamEvent(batch));
          expect(result).toMatchObject({ trigger: 'table', batch: { batchItemFailures: [] } });
        }
        return (await scanItems(runtime.dynamodb.client, 'revenue')).map(({ _sluice: _bookkeeping, ...item }) => item).sort((a, b) => `${String(a.currency)}${String(a.day)}`.localeCompare(`${String(b.currency)}${String(b.day)}`));
      } finally {
        await runtime.close();
      }
    };
    const inOrder = await revenueAfter(batches, 'in-order');
    expect(hostile.length).toBeGreaterThan(batches.length + 8);
    expect(inOrder.length).toBeGreaterThan(3);
    expect(await revenueAfter(hostile, 'hostile')).toEqual(inOrder);
  }, 60_000);
});
