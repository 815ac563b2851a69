import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { RowFileWriter } from '../../../shared/engine/runtime/row-file.ts';
import { readObject } from '../../support/s3-read.ts';

const source = { bucket: 'uploads', key: 'orders/2026-11-29.csv', eTag: 'abc' };

describe('rows written to a bucket', () => {
  let dir: string;
  let s3: EmbeddedS3;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-rows-'));
    s3 = await startEmbeddedS3({ dataDir: dir, buckets: ['clean'] });
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('as CSV with a header, formula cells escaped as OWASP advises, numbers left alone', async () => {
    const writer = new RowFileWriter({ s3: s3.client, pipeline: 'ingest', to: { bucket: 'clean', key: '{dir}/{stem}.{ext}' }, source });
    await writer.write({ id: 'a', note: '=HYPERLINK("http://x")', amount: -5, total: new NumberValue('12345678901234567890.5') });
    await writer.write({ id: 'b', note: '+1 555', amount: 3.25, total: '-12' });
    await writer.write({ id: 'c', note: '@SUM(A1)\tand "quotes", commas', amount: 0 });
    const ref = await writer.finish();
    expect(ref).toMatchObject({ bucket: 'clean', key: 'orders/2026-11-29.csv' });
    const object = await readObject(s3.client, 'clean', 'orders/2026-11-29.csv');
    expect(object.contentType).toBe('text/csv; charset=utf-8');
    expect(object.metadata['sluice-source-key']).toBe(encodeURIComponent(source.key));
    expect(parse(object.body.toString('utf8'), { columns: true })).toEqual([
      { id: 'a', note: '\'=HYPERLINK("http://x")', amount: '-5', total: '12345678901234567890.5' },
      { id: 'b', note: "'+1 555", amount: '3.25', total: "'-12" },
      { id: 'c', note: '\'@SUM(A1)\tand "quotes", commas', amount: '0', total: '' },
    ]);
  });

  it('as CSV kept as is when asked, and refuses a row with a column the header lacks', async () => {
    const kept = new RowFileWriter({ s3: s3.client, pipeline: 'ingest', to: { bucket: 'clean', key: 'kept.{ext}', rows: { format: 'csv', formulas: 'keep' } }, source });
    await kept.write({ note: '=1+1' });
    await kept.finish();
    expect((await readObject(s3.client, 'clean', 'kept.csv')).body.toString('utf8')).toBe('note\n=1+1\n');
    const ragged = new RowFileWriter({ s3: s3.client, pipeline: 'ingest', to: { bucket: 'clean', key: 'ragged.{ext}' }, source });
    await ragged.write({ a: 1 });
    await expect(ragged.write({ a: 2, b: 3 })).rejects.toThrow('row 2 has column(s) b that the CSV header (from the first row: a) does not; write NDJSON (to.rows.format: ndjson) for rows of different shapes');
  });

  it('as NDJSON with exact numbers, and an empty file for a source without rows', async () => {
    const writer = new RowFileWriter({ s3: s3.client, pipeline: 'ingest', to: { bucket: 'clean', key: '{stem}.{ext}', rows: { format: 'ndjson', formulas: 'escape' } }, source });
    await writer.write({ id: 'a', total: new NumberValue('12345678901234567890.5'), tags: new Set(['x']), note: '=1' });
    await writer.finish();
    expect((await readObject(s3.client, 'clean', '2026-11-29.ndjson')).body.toString('utf8')).toBe('{"id":"a","total":12345678901234567890.5,"tags":["x"],"note":"=1"}\n');
    const empty = new RowFileWriter({ s3: s3.client, pipeline: 'ingest', to: { bucket: 'clean', key: 'empty.{ext}' }, source });
    await empty.finish();
    expect((await readObject(s3.client, 'clean', 'empty.csv')).body.length).toBe(0);
  });

  it('streams many rows through a multipart upload without holding them', async () => {
    const writer = new RowFileWriter({ s3: s3.client, pipeline: 'ingest', to: { bucket: 'clean', key: 'big.{ext}', rows: { format: 'ndjson', formulas: 'keep' } }, source });
    const before = process.memoryUsage().heapUsed;
    const filler = 'x'.repeat(200);
    for (let i = 0; i < 60_000; i++) await writer.write({ i, filler });
    await writer.finish();
    // About 13 MB went through; what stays behind is bounded by the upload's part buffers.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 * 1024 * 1024);
    const body = (await readObject(s3.client, 'clean', 'big.ndjson')).body.toString('utf8');
    expect(body.split('\n').length).toBe(60_001);
  }, 60_000);
});
