import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../shared/workbench/local/local-runtime.ts';
import { createSilentLogger } from '../../shared/contract/logger.ts';
import type { ObjectResult } from '../../shared/engine/runtime/process-object.ts';
import { corpus } from '../support/paths.ts';
import { listKeys, readObject } from '../support/s3-read.ts';
import { SALT, pipelinesDir } from './workload.ts';

/**
 * The hostile corpora through the shipped pipelines, end to end on the embedded stores: the bad
 * CSVs through orders-ingest, every PngSuite image (the corrupt ones included) and the EXIF and
 * sharp fixtures through thumbnails, and the Big List of Naughty Strings as object keys and as
 * CSV cells. Every item must come out processed, or quarantined with a reason: nothing lost,
 * nothing crashing the runtime.
 */

async function filesUnder(dir: string, suffix: RegExp): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && suffix.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function naughtyStrings(): Promise<string[]> {
  return JSON.parse(await readFile(corpus('big-list-of-naughty-strings', 'blns.json'), 'utf8')) as string[];
}

describe('hostile corpora through whole pipelines', () => {
  let dir: string;
  let runtime: LocalRuntime;
  const results: ObjectResult[] = [];
  const savedSalt = process.env.SLUICE_PII_SALT;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-hostile-corpora-'));
    process.env.SLUICE_PII_SALT = SALT;
    runtime = await startLocalRuntime({ dataDir: join(dir, 'data'), pipelinesDir, logger: createSilentLogger(), retryDelayMs: 1, onResult: (result) => results.push(result) } as Parameters<typeof startLocalRuntime>[0]);
  });
  afterAll(async () => {
    await runtime?.close();
    if (savedSalt === undefined) delete process.env.SLUICE_PII_SALT;
    else process.env.SLUICE_PII_SALT = savedSalt;
    await rm(dir, { recursive: true, force: true });
  });

  const put = (key: string, body: Buffer | string) => runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body }));

  /** The one result of `pipeline` for `key`, checked to be processed or quarantined with its reason beside it. */
  async function outcomeOf(pipeline: string, key: string): Promise<ObjectResult> {
    const found = results.filter((result) => result.pipeline === pipeline && result.source.key === key);
    expect(found.map((result) => result.status), key).toHaveLength(1);
    const result = found[0]!;
    expect(['processed', 'quarantined'], key).toContain(result.status);
    if (result.status === 'quarantined') {
      expect(result.error?.code, key).toMatch(/^[A-Z][A-Za-z_]+$/);
      expect(result.error?.message.length, key).toBeGreaterThan(10);
      const reason = JSON.parse((await readObject(runtime.s3.client, 'quarantine', `${pipeline}/uploads/${key}.error.json`)).body.toString('utf8'));
      expect(reason.error, key).toEqual(result.error);
      expect(reason.sourceCopied, key).toBe(true);
    }
    return result;
  }

  it('every bad CSV is cleaned row by row or quarantined: each row in the table, rejected with its reasons, or dropped as a duplicate', async () => {
    const files = await filesUnder(corpus('csv-bad-data'), /\.(csv|tsv)$/);
    expect(files.length).toBeGreaterThan(50);
    const keyOf = (file: string) => `orders/${relative(corpus('csv-bad-data'), file).replace(/\.tsv$/, '.tsv.csv')}`;
    for (const file of files) await put(keyOf(file), await readFile(file));
    await runtime.idle();
    const statuses = { processed: 0, quarantined: 0 };
    for (const file of files) {
      const key = keyOf(file);
      const result = await outcomeOf('orders-ingest', key);
      statuses[result.status as keyof typeof statuses]++;
      if (result.status !== 'processed') continue;
      const counts = result.summaries!.find((summary) => summary.step === 'sanitize')!.summary as { rowsIn: number; clean: number; rejected: number; deduplicated: number };
      expect(counts.clean + counts.rejected + counts.deduplicated, key).toBe(counts.rowsIn);
      expect(result.rejected, key).toBe(counts.rejected);
      if (!counts.rejected) continue;
      const lines = (await readObject(runtime.s3.client, 'quarantine', `orders-ingest/uploads/${key}.rejected.ndjson`)).body.toString('utf8').trim().split('\n');
      expect(lines, key).toHaveLength(counts.rejected);
      for (const line of lines) expect((JSON.parse(line) as { reasons: unknown[] }).reasons.length, key).toBeGreaterThan(0);
    }
    // The corpus is meant to be bad: most files have none of the order columns, so every row is rejected.
    expect(statuses.processed).toBeGreaterThan(40);
  }, 120_000);

  it('every PngSuite, EXIF and sharp fixture image is resized into its three variants or quarantined with a reason', async () => {
    const images = [...(await filesUnder(corpus('pngsuite', 'png'), /\.png$/)), ...(await filesUnder(corpus('images-jpeg-exif-orientation'), /\.jpg$/)), ...(await filesUnder(corpus('images-sharp-fixtures'), /\.png$/))];
    expect(images.length).toBeGreaterThan(150);
    const keyOf = (file: string) => `images/corpus/${basename(file)}`;
    for (const file of images) await put(keyOf(file), await readFile(file));
    await runtime.idle();
    const corrupt: string[] = [];
    for (const file of images) {
      const result = await outcomeOf('thumbnails', keyOf(file));
      if (result.status === 'quarantined') {
        corrupt.push(basename(file));
        continue;
      }
      expect(result.outputs.map((output) => output.key).sort(), file).toEqual(['thumb.webp', 'medium.jpg', `large.${basename(file).split('.').pop()}`].map((name) => `images/corpus/${basename(file).replace(/\.[^.]+$/, '')}/${name}`).sort());
    }
    // PngSuite's x*.png files are its corrupt ones, and the EXIF corpus derives a truncated and an empty file: each of them, and only they, are quarantined.
    expect(corrupt.sort()).toEqual(images.map((file) => basename(file)).filter((name) => /^x.*\.png$|truncated|empty/.test(name)).sort());
  }, 120_000);

  it('naughty strings as object keys are all taken, as S3 takes them, and their image processed under a key derived from them', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer();
    const strings = [...new Set(await naughtyStrings())].filter((text) => text !== '');
    const keys = strings.map((text) => `images/naughty/${text}.png`);
    // `..` segments, `//`, long segments: S3 stores each of these keys, and so does the embedded store.
    for (const key of keys) await put(key, png);
    await runtime.idle();
    for (const key of keys) expect((await outcomeOf('thumbnails', key)).status, JSON.stringify(key)).toBe('processed');
    const uploaded = new Set(await listKeys(runtime.s3.client, 'uploads', 'images/naughty/'));
    expect([...uploaded].sort()).toEqual([...new Set(keys)].sort());
  }, 120_000);

  it('naughty strings as CSV cells: each row lands in the orders table or is rejected with a reason', async () => {
    const strings = await naughtyStrings();
    const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
    const rows = strings.map((text, index) => [`ord-${90_000 + index}`, index % 2 ? quote(text) : `n${index}@example.com`, '', '10.00', 'EUR', '2026-11-29T10:00:00Z', 'US', quote(text)].join(','));
    await put('orders/naughty.csv', `order_id,customer_email,phone,amount,currency,created_at,country,note\n${rows.join('\n')}\n`);
    await runtime.idle();
    const result = await outcomeOf('orders-ingest', 'orders/naughty.csv');
    expect(result.status).toBe('processed');
    const counts = result.summaries![0]!.summary as { rowsIn: number; clean: number; rejected: number; deduplicated: number };
    expect(counts.rowsIn).toBe(strings.length);
    expect(counts.clean + counts.rejected).toBe(strings.length);
    const items = (await runtime.dynamodb.client.send(new ScanCommand({ TableName: 'orders', FilterExpression: 'begins_with(order_id, :p)', ExpressionAttributeValues: { ':p': { S: 'ord-9' } } }))).Items ?? [];
    expect(items).toHaveLength(counts.clean);
    const rejected = (await readObject(runtime.s3.client, 'quarantine', 'orders-ingest/uploads/orders/naughty.csv.rejected.ndjson')).body.toString('utf8').trim().split('\n');
    expect(rejected).toHaveLength(counts.rejected);
    // The odd rows carry a naughty string as their email: none is an address, each is rejected for that.
    expect(rejected.filter((line) => (JSON.parse(line) as { reasons: { field: string }[] }).reasons.some((reason) => reason.field === 'customer_email')).length).toBe(Math.floor(strings.length / 2));
  }, 120_000);
});
