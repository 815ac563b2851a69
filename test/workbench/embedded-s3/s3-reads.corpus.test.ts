import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { corpus } from '../../support/paths.ts';

/** Bodies compared by digest: a deep comparison of two 340 KB buffers takes the test runner seconds. */
const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('GetObject and HeadObject with a Range, as S3 answers them', () => {
  let dir: string;
  let s3: EmbeddedS3;
  let photo: Buffer;
  const size = () => photo.length;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-reads-'));
    s3 = await startEmbeddedS3({ dataDir: join(dir, 'data'), buckets: ['uploads'] });
    photo = await readFile(corpus('images-jpeg-exif-orientation', 'Landscape_3.jpg'));
    await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/photo.jpg', Body: photo, ContentType: 'image/jpeg' }));
    await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'empty', Body: Buffer.alloc(0) }));
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function get(Range: string, Key = 'images/photo.jpg') {
    const reply = await s3.client.send(new GetObjectCommand({ Bucket: 'uploads', Key, Range }));
    return { status: reply.$metadata.httpStatusCode, range: reply.ContentRange, length: reply.ContentLength, body: digest(await reply.Body!.transformToByteArray()) };
  }

  it('answers a suffix range with the last bytes (s3rver answered bytes 0-10 and the first 11)', async () => {
    expect(await get('bytes=-10')).toEqual({ status: 206, range: `bytes ${size() - 10}-${size() - 1}/${size()}`, length: 10, body: digest(photo.subarray(-10)) });
    // More than the object: all of it, as a range.
    expect(await get(`bytes=-${size() + 100}`)).toEqual({ status: 206, range: `bytes 0-${size() - 1}/${size()}`, length: size(), body: digest(photo) });
  });

  it('answers first-last, first- and a last byte past the end, clamped', async () => {
    expect(await get('bytes=0-0')).toEqual({ status: 206, range: `bytes 0-0/${size()}`, length: 1, body: digest(photo.subarray(0, 1)) });
    expect(await get('bytes=100-199')).toEqual({ status: 206, range: `bytes 100-199/${size()}`, length: 100, body: digest(photo.subarray(100, 200)) });
    expect(await get(`bytes=${size() - 5}-`)).toEqual({ status: 206, range: `bytes ${size() - 5}-${size() - 1}/${size()}`, length: 5, body: digest(photo.subarray(-5)) });
    expect(await get(`bytes=${size() - 5}-${size() * 2}`)).toMatchObject({ status: 206, range: `bytes ${size() - 5}-${size() - 1}/${size()}`, length: 5 });
  });

  it('refuses a range that starts past the end, or asks for the last 0 bytes, with 416 InvalidRange', async () => {
    for (const range of [`bytes=${size()}-`, `bytes=${size() + 10}-${size() + 20}`, 'bytes=-0']) {
      const failure = await get(range).catch((error: unknown) => error);
      expect(failure, range).toMatchObject({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } });
      expect((failure as { $response?: { headers: Record<string, string> } }).$response?.headers['content-range']).toBe(`bytes */${size()}`);
    }
    expect(await get('bytes=0-0', 'empty').catch((error: unknown) => error)).toMatchObject({ name: 'InvalidRange' });
  });

  it('answers the whole object for a range S3 ignores, and for a suffix of an empty object', async () => {
    for (const range of ['bytes=10-5', 'bytes=0-1,5-6', 'items=0-5', 'bytes=-']) {
      expect(await get(range), range).toEqual({ status: 200, range: undefined, length: size(), body: digest(photo) });
    }
    expect(await get('bytes=-5', 'empty')).toEqual({ status: 200, range: undefined, length: 0, body: digest(Buffer.alloc(0)) });
  });

  it('answers HEAD with a range as GET does, without a body', async () => {
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'images/photo.jpg', Range: 'bytes=-10' }));
    expect(head).toMatchObject({ ContentLength: 10, ContentRange: `bytes ${size() - 10}-${size() - 1}/${size()}`, ContentType: 'image/jpeg', AcceptRanges: 'bytes', $metadata: { httpStatusCode: 206 } });
  });

  it('answers conditional reads: 304 for If-None-Match of the same version, 412 for If-Match of another', async () => {
    const { ETag } = await s3.client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'images/photo.jpg' }));
    const notModified = await s3.client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'images/photo.jpg', IfNoneMatch: ETag })).catch((error: unknown) => error);
    expect(notModified).toMatchObject({ $metadata: { httpStatusCode: 304 } });
    const failed = await s3.client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'images/photo.jpg', IfMatch: '"0123456789abcdef0123456789abcdef"' })).catch((error: unknown) => error);
    expect(failed).toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    const matched = await get('bytes=-3');
    expect(matched.body).toBe(digest(photo.subarray(-3)));
    const overridden = await s3.client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'images/photo.jpg', ResponseContentType: 'application/x-test', ResponseContentDisposition: 'attachment' }));
    expect([overridden.ContentType, overridden.ContentDisposition]).toEqual(['application/x-test', 'attachment']);
    await overridden.Body!.transformToByteArray();
  });
});
