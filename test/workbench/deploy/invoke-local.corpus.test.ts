import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeS3EventKey } from '../../../events/s3/key-encoding.ts';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { corpus, repoRoot } from '../../support/paths.ts';
import { listKeys } from '../../support/s3-read.ts';
import { invokeLocal } from './run-serverless.ts';

/**
 * `serverless invoke local` runs the thumbnails function's own bundle (built as for Lambda, with
 * this machine's sharp) on a real AWS sample event, against the embedded S3 server holding the
 * buckets under their AWS names: the function maps them to the names the pipeline uses and back.
 */
describe('serverless invoke local of a shipped pipeline', () => {
  let s3: EmbeddedS3;

  beforeAll(async () => {
    s3 = await startEmbeddedS3({ dataDir: await mkdtemp(join(tmpdir(), 'sluice-invoke-')), buckets: ['sluice-local-uploads', 'sluice-local-media', 'sluice-local-quarantine'] });
  });
  afterAll(async () => {
    await s3.close();
  });

  it('makes the variants of an uploaded image from the corpus S3 event', async () => {
    const key = 'images/Été 2024/harbour view.jpg';
    const body = await readFile(corpus('images-jpeg-exif-orientation', 'Landscape_3.jpg'));
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'sluice-local-uploads', Key: key, Body: body }));
    const event = JSON.parse(await readFile(corpus('aws-lambda-events', 'aws-s3-userguide-doc-examples', 's3-objectcreated-put-example.json'), 'utf8'));
    const record = event.Records[0];
    record.s3.bucket.name = 'sluice-local-uploads';
    record.s3.bucket.arn = 'arn:aws:s3:::sluice-local-uploads';
    Object.assign(record.s3.object, { key: encodeS3EventKey(key), size: body.length, eTag: put.ETag!.replaceAll('"', '') });
    const eventFile = join(await mkdtemp(join(tmpdir(), 'sluice-event-')), 'event.json');
    await writeFile(eventFile, JSON.stringify(event));

    const { result, answer } = await invokeLocal('thumbnails', repoRoot, eventFile, s3.endpoint);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(answer).toMatchObject({ pipeline: 'thumbnails', processed: 1, quarantined: 0, outputs: 3 });
    const stem = 'images/Été 2024/harbour view';
    expect(await listKeys(s3.client, 'sluice-local-media')).toEqual([`${stem}/large.jpg`, `${stem}/medium.jpg`, `${stem}/thumb.webp`]);
    // The per-source record beside the quarantine names the source as the pipeline knows it.
    const summaries = await listKeys(s3.client, 'sluice-local-quarantine');
    expect(summaries).toEqual([`thumbnails/uploads/${key}.summary.json`]);
  }, 180_000);
});
