import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listQuarantine } from '../../../shared/workbench/dashboard/quarantine-list.ts';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { onErrorSpec } from '../../../shared/engine/pipeline/schema.ts';
import { quarantineObject } from '../../../shared/engine/runtime/quarantine.ts';
import { quarantineRejectedChange, quarantineStreamBatch } from '../../../shared/engine/runtime/quarantine-records.ts';
import { RejectionFile } from '../../../shared/engine/runtime/rejection-file.ts';
import { writeSummary } from '../../../shared/engine/runtime/summary-file.ts';
import type { Pipeline } from '../../../shared/engine/pipeline/schema.ts';

// Written by the runtime's own quarantine functions, read back as the dashboard shows them.
describe('the quarantine as the dashboard lists it', () => {
  let dir: string;
  let s3: EmbeddedS3;
  const onError = onErrorSpec.parse({ quarantine: { bucket: 'quarantine', prefix: 'failed/' } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-quarantine-list-'));
    s3 = await startEmbeddedS3({ dataDir: dir, buckets: ['uploads', 'quarantine'] });
    await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/bad photo.jpg', Body: 'not a jpeg' }));
    await quarantineObject(s3.client, { onError, pipeline: 'thumbs', source: { bucket: 'uploads', key: 'images/bad photo.jpg' }, reason: { code: 'IMAGE_CORRUPT', message: 'image is truncated', step: 'resize' }, attempts: 1 });
    const rejections = new RejectionFile(s3.client, onError, 'ingest', { bucket: 'uploads', key: 'orders/day.csv' });
    for (const line of [2, 5]) await rejections.add({ step: 'sanitize', item: { kind: 'rejected', origin: { source: 'uploads/orders/day.csv', position: `line ${line}` }, reasons: [{ field: 'email', message: 'not an email' }] } });
    await rejections.finish();
    await quarantineStreamBatch(s3.client, onError, { pipeline: 'revenue', table: 'orders', reason: { code: 'RETRIES_EXHAUSTED', message: 'gave up after 3 attempts' }, attempts: 3, records: [{ dynamodb: { SequenceNumber: '100' } }, { dynamodb: { SequenceNumber: '101' } }] });
    await quarantineRejectedChange(s3.client, onError, { pipeline: 'revenue', table: 'orders', rejection: { step: 'aggregate', item: { kind: 'rejected', origin: { source: 'orders', position: '102' }, reasons: [{ field: 'amount', message: 'not a number' }] } } });
    // A processed source's record is bookkeeping, not something that failed.
    await writeSummary(s3.client, { name: 'thumbs', onError } as Pipeline, { fingerprint: 'f', source: { bucket: 'uploads', key: 'images/good.jpg' }, outputs: [], steps: [] });
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows each failed object, rejected record and stream batch with its reasons', async () => {
    const entries = await listQuarantine(s3.client, [onError.quarantine]);
    const byKind = Object.fromEntries(entries.map((entry) => [entry.kind, entry]));
    expect(entries).toHaveLength(4);
    expect(byKind.object).toMatchObject({ pipeline: 'thumbs', source: 'uploads/images/bad photo.jpg', copyKey: 'failed/thumbs/uploads/images/bad photo.jpg', error: { code: 'IMAGE_CORRUPT', message: 'image is truncated', step: 'resize' } });
    expect(byKind['rejected-records']).toMatchObject({
      pipeline: 'ingest',
      source: 'uploads/orders/day.csv',
      recordCount: 2,
      records: [
        { position: 'line 2', step: 'sanitize', reasons: [{ field: 'email', message: 'not an email' }] },
        { position: 'line 5', step: 'sanitize', reasons: [{ field: 'email', message: 'not an email' }] },
      ],
    });
    expect(byKind.batch).toMatchObject({ pipeline: 'revenue', source: 'orders stream', key: 'failed/revenue/orders/100-101.failed.json', recordCount: 2, error: { code: 'RETRIES_EXHAUSTED' } });
    expect(byKind['rejected-record']).toMatchObject({ pipeline: 'revenue', source: 'orders stream', records: [{ position: '102', step: 'aggregate', reasons: [{ field: 'amount', message: 'not a number' }] }] });
  });
});
