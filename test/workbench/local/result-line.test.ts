import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import type { ObjectResult } from '../../../shared/engine/runtime/process-object.ts';
import type { LocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { describeObjectResult } from '../../../shared/workbench/local/result-line.ts';
import { repoRoot } from '../../support/paths.ts';
import { readObject } from '../../support/s3-read.ts';

const ROWS = 2000;

/** An orders CSV of `rows` rows, every 400th with an amount below zero (rejected). */
function ordersCsv(rows: number): string {
  const lines = ['order_id,customer_email,phone,amount,currency,created_at,country,note'];
  for (let i = 1; i <= rows; i++) {
    const amount = i % 400 === 0 ? '-1.00' : `${(i % 97) + 1}.25`;
    lines.push(`ord-${String(i).padStart(6, '0')},buyer${i}@example.com,(415) 555-${String(i % 10000).padStart(4, '0')},${amount},EUR,2026-11-28T05:07:00Z,PT,`);
  }
  return `${lines.join('\n')}\n`;
}

describe('the line sluice dev logs per object', () => {
  let dir: string;
  let runtime: LocalRuntime;
  const results: ObjectResult[] = [];
  const saltBefore = process.env.SLUICE_PII_SALT;

  beforeAll(async () => {
    process.env.SLUICE_PII_SALT = 'a-salt-for-the-result-line-test';
    dir = await mkdtemp(join(tmpdir(), 'sluice-result-line-'));
    runtime = await startLocalRuntime({ dataDir: join(dir, '.sluice'), pipelinesDir: join(repoRoot, 'pipelines'), logger: createSilentLogger(), onResult: (result) => results.push(result) });
  });
  afterAll(async () => {
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
    if (saltBefore === undefined) delete process.env.SLUICE_PII_SALT;
    else process.env.SLUICE_PII_SALT = saltBefore;
  });

  const lineOf = (key: string) => {
    const result = results.find((candidate) => candidate.source.key === key);
    expect(result, key).toBeDefined();
    return describeObjectResult(result!).replace(/\(\d+(\.\d+)? m?s\)$/, '(T)');
  };

  it('says what the sample CSV wrote, and that its 5 bad rows were rejected and where they were quarantined', async () => {
    const body = await readFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'orders', 'orders-2026-11-29.csv'));
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'orders/orders-2026-11-29.csv', Body: body }));
    await runtime.idle();
    expect(lineOf('orders/orders-2026-11-29.csv')).toBe(
      '[orders-ingest] uploads/orders/orders-2026-11-29.csv: wrote 8 item(s) to table orders; rejected 5 record(s), quarantined as quarantine/orders-ingest/uploads/orders/orders-2026-11-29.csv.rejected.ndjson (T)',
    );
  });

  it(`stays one short line for a file of ${ROWS.toLocaleString('en-US')} rows, and the source's record counts the items instead of listing them`, async () => {
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'orders/big.csv', Body: ordersCsv(ROWS) }));
    await runtime.idle();
    const line = lineOf('orders/big.csv');
    expect(line).toBe('[orders-ingest] uploads/orders/big.csv: wrote 1,995 item(s) to table orders; rejected 5 record(s), quarantined as quarantine/orders-ingest/uploads/orders/big.csv.rejected.ndjson (T)');
    const result = results.find((candidate) => candidate.source.key === 'orders/big.csv')!;
    expect(result.outputs).toEqual([{ table: 'orders', items: 1995, size: 0 }]);
    const summary = JSON.parse((await readObject(runtime.s3.client, 'quarantine', 'orders-ingest/uploads/orders/big.csv.summary.json')).body.toString('utf8'));
    expect(summary.outputs).toEqual([{ table: 'orders', items: 1995, size: 0 }]);
    expect(runtime.stats.all().find((stats) => stats.pipeline === 'orders-ingest')).toMatchObject({ outputs: 8 + 1995, rejected: 10 });
  });

  it('names a few objects of a bucket output with their total size, and a quarantined one with its reason', async () => {
    const images = join(repoRoot, 'pipelines', 'samples', 'uploads', 'images');
    for (const name of ['harbour-dawn.jpg', 'broken-upload.jpg']) {
      await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: `images/${name}`, Body: await readFile(join(images, name)), ContentType: 'image/jpeg' }));
    }
    await runtime.idle();
    expect(lineOf('images/harbour-dawn.jpg')).toMatch(
      /^\[thumbnails\] uploads\/images\/harbour-dawn\.jpg: wrote 3 object\(s\) \(\d+\.\d KiB\): media\/images\/harbour-dawn\/\w+\.\w+, media\/images\/harbour-dawn\/\w+\.\w+, media\/images\/harbour-dawn\/\w+\.\w+ \(T\)$/,
    );
    expect(lineOf('images/broken-upload.jpg')).toBe('[thumbnails] uploads/images/broken-upload.jpg: quarantined: step 1 (resize): image is truncated or corrupt: VipsJpeg: premature end of JPEG image (T)');
  });
});
