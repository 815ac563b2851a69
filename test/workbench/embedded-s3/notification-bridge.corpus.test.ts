import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Event } from '../../../events/s3/schema.ts';
import { compareSequencers, normalizeS3Event } from '../../../events/s3/normalize.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { bridgeNotifications } from '../../../shared/workbench/embedded-s3/notification-bridge.ts';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { corpus } from '../../support/paths.ts';

/** Every key path of a JSON value, so that two events can be compared by shape. */
function shape(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => shape(inner, prefix ? `${prefix}.${key}` : key));
}

describe('the notification bridge of the embedded S3 server', () => {
  let s3: EmbeddedS3;
  const delivered: S3Event[] = [];
  const pending: Promise<unknown>[] = [];

  beforeAll(async () => {
    s3 = await startEmbeddedS3({ dataDir: await mkdtemp(join(tmpdir(), 'sluice-bridge-')), buckets: ['uploads', 'copies'] });
    bridgeNotifications(s3, { deliver: (event) => delivered.push(event), track: (work) => pending.push(work), logger: createSilentLogger() });
  });
  afterAll(() => s3.close());

  it('delivers one record per write, shaped exactly as AWS delivers it to Lambda, before the write returns', async () => {
    const key = 'images/red flower+café 100%.jpg';
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'hello' }));
    expect(delivered).toHaveLength(1);
    const event = delivered[0]!;
    expect(event.Records).toHaveLength(1);
    const aws = JSON.parse(await readFile(corpus('aws-lambda-events', 'aws-s3-userguide-doc-examples', 's3-objectcreated-put-example.json'), 'utf8'));
    // The docs example shows a versioned bucket; the embedded buckets are unversioned, as S3's default.
    const awsShape = shape(aws.Records[0]).filter((path) => path !== 's3.object.versionId');
    expect(shape(event.Records[0]).sort()).toEqual(awsShape.sort());
    const record = event.Records[0]!;
    expect(record).toMatchObject({ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', awsRegion: 'us-east-1' });
    expect(record.s3.bucket).toMatchObject({ name: 'uploads', arn: 'arn:aws:s3:::uploads' });
    expect(record.s3.object).toMatchObject({ key: 'images/red+flower%2Bcaf%C3%A9+100%25.jpg', size: 5, eTag: put.ETag!.replaceAll('"', '') });
    expect(record.s3.object.eTag).not.toContain('"');
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{16,}$/);
    expect(normalizeS3Event(event)[0]).toMatchObject({ bucket: 'uploads', key, kind: 'created', size: 5 });
  });

  it('names multipart uploads, copies and deletes as S3 does, with increasing sequencers', async () => {
    delivered.length = 0;
    const big = Buffer.alloc(6 * 1024 * 1024, 1);
    await new Upload({ client: s3.client, params: { Bucket: 'uploads', Key: 'big.bin', Body: big }, partSize: 5 * 1024 * 1024 }).done();
    await s3.client.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'big-copy.bin', CopySource: 'uploads/big.bin' }));
    await Promise.all(pending);
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'big.bin' }));
    const records = delivered.flatMap((event) => normalizeS3Event(event));
    expect(records.map((r) => [r.eventName, r.bucket, r.key, r.size])).toEqual([
      ['ObjectCreated:CompleteMultipartUpload', 'uploads', 'big.bin', big.length],
      ['ObjectCreated:Copy', 'copies', 'big-copy.bin', big.length],
      ['ObjectRemoved:Delete', 'uploads', 'big.bin', undefined],
    ]);
    // As S3's: a multipart upload's eTag is the MD5 of its parts' MD5s and their count; a copy's is its content's MD5.
    const md5 = (data: Buffer) => createHash('md5').update(data).digest();
    const parts = [big.subarray(0, 5 * 1024 * 1024), big.subarray(5 * 1024 * 1024)];
    expect(records[0]!.eTag).toBe(`${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-2`);
    expect(records[1]!.eTag).toBe(md5(big).toString('hex'));
    expect(records[2]!.eTag).toBeUndefined();
    for (let i = 1; i < records.length; i++) expect(compareSequencers(records[i]!.sequencer!, records[i - 1]!.sequencer!)).toBeGreaterThan(0);
  });
});
