import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeS3EventKey } from '../../../events/s3/key-encoding.ts';
import { createPipelineLambda } from '../../../shared/engine/lambda/pipeline-handler.ts';
import type { Pipeline } from '../../../shared/engine/pipeline/schema.ts';
import type { BucketSummary } from '../../../shared/engine/runtime/handle-event.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { loadPipelineFile } from '../../../shared/workbench/project/load-project.ts';
import { corpus, repoRoot } from '../../support/paths.ts';
import { listKeys, readObject } from '../../support/s3-read.ts';

/** A bucket pipeline's function, whose answer is its summary. */
const bucketLambda = (pipeline: Pipeline) => {
  const lambda = createPipelineLambda(pipeline, { logger: createSilentLogger() });
  return async (event: unknown, context: Context) => (await lambda(event, context)) as BucketSummary;
};

const context = { awsRequestId: 'test-request' } as Context;

/** A real AWS sample event, rewritten to point at an object that exists. */
async function corpusEventFor(bucket: string, key: string, size: number, eTag: string) {
  const event = JSON.parse(await readFile(corpus('aws-lambda-events', 'aws-s3-userguide-doc-examples', 's3-objectcreated-put-example.json'), 'utf8'));
  const record = event.Records[0];
  record.s3.bucket.name = bucket;
  record.s3.bucket.arn = `arn:aws:s3:::${bucket}`;
  Object.assign(record.s3.object, { key: encodeS3EventKey(key), size, eTag });
  return event;
}

describe('the Lambda entry of a pipeline', () => {
  let s3: EmbeddedS3;
  const saved = { ...process.env };

  beforeAll(async () => {
    s3 = await startEmbeddedS3({ dataDir: await mkdtemp(join(tmpdir(), 'sluice-lambda-')), buckets: ['uploads', 'media', 'quarantine'] });
    // Configure the function as Lambda would be: only through the SDK's standard settings.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    });
  });

  afterAll(async () => {
    process.env = saved;
    await s3.close();
  });

  it('runs the steps for a real S3 event whose key has spaces and non-ASCII characters', async () => {
    const pipeline = await loadPipelineFile(join(repoRoot, 'pipelines', 'thumbnails.yml'));
    const handler = bucketLambda(pipeline);
    const key = 'images/Été 2024/red flower + 你好 🐱.jpg';
    const body = await readFile(corpus('images-jpeg-exif-orientation', 'Landscape_3.jpg'));
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body }));
    const event = await corpusEventFor('uploads', key, body.length, put.ETag!.replaceAll('"', ''));
    expect(event.Records[0].s3.object.key).toBe('images/%C3%89t%C3%A9+2024/red+flower+%2B+%E4%BD%A0%E5%A5%BD+%F0%9F%90%B1.jpg');

    const summary = await handler(event, context);
    expect(summary).toMatchObject({ pipeline: 'thumbnails', processed: 1, quarantined: 0, outputs: 3 });
    const stem = 'images/Été 2024/red flower + 你好 🐱';
    expect(await listKeys(s3.client, 'media')).toEqual([`${stem}/large.jpg`, `${stem}/medium.jpg`, `${stem}/thumb.webp`]);
    const medium = await readObject(s3.client, 'media', `${stem}/medium.jpg`);
    expect(await sharp(medium.body).metadata()).toMatchObject({ format: 'jpeg', width: 800, height: 533 });
    expect(medium.metadata['sluice-source-etag']).toBe(put.ETag!.replaceAll('"', ''));
  });

  it('ignores records the trigger does not match, and quarantines what cannot be processed', async () => {
    const pipeline = await loadPipelineFile(join(repoRoot, 'pipelines', 'thumbnails.yml'));
    const handler = bucketLambda(pipeline);
    const other = await corpusEventFor('uploads', 'docs/readme.txt', 5, 'abc');
    expect(await handler(other, context)).toMatchObject({ processed: 0, quarantined: 0, skipped: 0, outputs: 0 });

    const body = await readFile(corpus('images-jpeg-exif-orientation', 'derived', 'Landscape_1.truncated-10000B.jpg'));
    await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/cut.jpg', Body: body }));
    const summary = await handler(await corpusEventFor('uploads', 'images/cut.jpg', body.length, 'x'), context);
    expect(summary).toMatchObject({ processed: 0, quarantined: 1 });
    expect(summary.results[0]!.error).toMatchObject({ code: 'IMAGE_CORRUPT', step: 'resize' });
    expect(await listKeys(s3.client, 'quarantine', 'thumbnails/uploads/images/cut.jpg')).toEqual(['thumbnails/uploads/images/cut.jpg', 'thumbnails/uploads/images/cut.jpg.error.json']);
  });

  it('starts from shared/engine/lambda/entry.ts with the handler modules it is packaged with, running the pipeline file named by SLUICE_PIPELINE_FILE', async () => {
    const { startFunction } = await import('../../../shared/engine/lambda/entry.ts');
    const resize = await import('../../../handlers/resize/index.ts');
    process.env.SLUICE_LOG_LEVEL = 'silent';
    const env = { LAMBDA_TASK_ROOT: repoRoot, SLUICE_PIPELINE_FILE: 'pipelines/thumbnails.yml' };
    // Without the module of a handler its pipeline names, a function refuses to start, naming the step.
    await expect(startFunction({ handlers: [], steps: {} }, env)).rejects.toThrow(/unknown handler "resize"/);
    const handler = await startFunction({ handlers: [resize], steps: {} }, env);
    const body = await readFile(corpus('images-jpeg-exif-orientation', 'Portrait_5.jpg'));
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/entry.jpg', Body: body }));
    const summary = await handler(await corpusEventFor('uploads', 'images/entry.jpg', body.length, put.ETag!.replaceAll('"', '')), context);
    expect(summary).toMatchObject({ pipeline: 'thumbnails', processed: 1, outputs: 3 });
    const medium = await readObject(s3.client, 'media', 'images/entry/medium.jpg');
    // Portrait_5 is stored landscape with EXIF orientation 5: upright it is portrait.
    expect(await sharp(medium.body).metadata()).toMatchObject({ width: 800, height: 1200 });
  });

  it('rejects a malformed event with a clear error', async () => {
    const pipeline = await loadPipelineFile(join(repoRoot, 'pipelines', 'thumbnails.yml'));
    const handler = bucketLambda(pipeline);
    await expect(handler({ Records: [{ eventSource: 'aws:s3', s3: {} }] }, context)).rejects.toThrow(/Records\[0\]/);
  });
});
