import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeNotifications } from '../../../shared/workbench/embedded-s3/notification-bridge.ts';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import type { S3Event } from '../../../events/s3/schema.ts';
import { corpus } from '../../support/paths.ts';

const MiB = 1024 * 1024;
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest();
/** S3's ETag of a multipart upload: the MD5 of the parts' MD5s, and how many parts. */
const multipartETag = (parts: Uint8Array[]) => `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-${parts.length}"`;
const failure = (sent: Promise<unknown>) => sent.then(() => undefined, (error: { name: string; $metadata: { httpStatusCode?: number } }) => [error.name, error.$metadata.httpStatusCode]);

describe('multipart uploads and UploadPartCopy, as S3 answers them', () => {
  let dir: string;
  let s3: EmbeddedS3;
  let big: Buffer;
  const delivered: S3Event[] = [];
  const source = 'images/big photo+1 (raw).jpg';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-multipart-'));
    s3 = await startEmbeddedS3({ dataDir: join(dir, 'data'), buckets: ['uploads', 'media'] });
    bridgeNotifications(s3, { deliver: (event) => delivered.push(event), track: () => undefined, logger: createSilentLogger() });
    // Over 8 MB, the AWS CLI's multipart threshold: real photos, end to end.
    const photos = await Promise.all(['Landscape_1.jpg', 'Landscape_5.jpg', 'Portrait_3.jpg', 'Portrait_7.jpg'].map((name) => readFile(corpus('images-jpeg-exif-orientation', name))));
    const parts: Buffer[] = [];
    for (let size = 0; size < 12 * MiB; size += photos[parts.length % photos.length]!.length) parts.push(photos[parts.length % photos.length]!);
    big = Buffer.concat(parts);
    await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: source, Body: big, ContentType: 'image/jpeg' }));
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const body = async (Bucket: string, Key: string) => Buffer.from(await (await s3.client.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());

  it('copies an object over 8 MB from bucket to bucket as the AWS CLI does, with UploadPartCopy (s3rver answered NotImplemented), then moves it', async () => {
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: 'media', Key: 'copies/big.jpg', ContentType: 'image/jpeg' }));
    const copySource = `uploads/${encodeURIComponent(source)}`;
    const ranges = [`bytes=0-${8 * MiB - 1}`, `bytes=${8 * MiB}-${big.length - 1}`];
    const parts = [];
    for (const [index, range] of ranges.entries()) {
      const { CopyPartResult } = await s3.client.send(new UploadPartCopyCommand({ Bucket: 'media', Key: 'copies/big.jpg', UploadId, PartNumber: index + 1, CopySource: copySource, CopySourceRange: range }));
      parts.push({ PartNumber: index + 1, ETag: CopyPartResult!.ETag! });
    }
    const pieces = [big.subarray(0, 8 * MiB), big.subarray(8 * MiB)];
    expect(parts.map((part) => part.ETag)).toEqual(pieces.map((piece) => `"${md5(piece).toString('hex')}"`));
    delivered.length = 0;
    const done = await s3.client.send(new CompleteMultipartUploadCommand({ Bucket: 'media', Key: 'copies/big.jpg', UploadId, MultipartUpload: { Parts: parts } }));
    expect(done.ETag).toBe(multipartETag(pieces));
    expect((await body('media', 'copies/big.jpg')).equals(big)).toBe(true);
    expect(await s3.client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'copies/big.jpg' }))).toMatchObject({ ContentLength: big.length, ContentType: 'image/jpeg', ETag: done.ETag });
    expect(delivered.flatMap((event) => normalizeS3Event(event)).map((record) => [record.eventName, record.key, record.size, record.eTag])).toEqual([['ObjectCreated:CompleteMultipartUpload', 'copies/big.jpg', big.length, done.ETag!.replaceAll('"', '')]]);
    // `aws s3 mv` deletes the source once the copy is complete.
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: source }));
    await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: source, Body: big }));
  });

  it('copies a whole source as one part without a range, and refuses ranges as S3 does', async () => {
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: 'media', Key: 'whole.jpg' }));
    const copy = (extra: Partial<ConstructorParameters<typeof UploadPartCopyCommand>[0]>) => s3.client.send(new UploadPartCopyCommand({ Bucket: 'media', Key: 'whole.jpg', UploadId, PartNumber: 1, CopySource: `uploads/${encodeURIComponent(source)}`, ...extra }));
    expect(await Promise.all([copy({ CopySourceRange: `bytes=0-${big.length}` }), copy({ CopySourceRange: 'bytes=0-' }), copy({ CopySourceRange: 'bytes=5-2' }), copy({ CopySource: 'uploads/nothing-here' }), copy({ UploadId: 'not-an-upload' }), copy({ PartNumber: 10001 })].map(failure))).toEqual([
      ['InvalidRange', 416],
      ['InvalidArgument', 400],
      ['InvalidArgument', 400],
      ['NoSuchKey', 404],
      ['NoSuchUpload', 404],
      ['InvalidArgument', 400],
    ]);
    const { CopyPartResult } = await copy({});
    await s3.client.send(new CompleteMultipartUploadCommand({ Bucket: 'media', Key: 'whole.jpg', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: CopyPartResult!.ETag! }] } }));
    expect((await body('media', 'whole.jpg')).equals(big)).toBe(true);
  });

  it('completes only parts uploaded with the ETags listed, in order, each but the last at least 5 MiB', async () => {
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: 'uploads', Key: 'parts.bin' }));
    const upload = (PartNumber: number, Body: Buffer) => s3.client.send(new UploadPartCommand({ Bucket: 'uploads', Key: 'parts.bin', UploadId, PartNumber, Body }));
    const one = await upload(1, big.subarray(0, 5 * MiB));
    const small = await upload(2, big.subarray(5 * MiB, 6 * MiB));
    const three = await upload(3, big.subarray(6 * MiB, 7 * MiB));
    const complete = (Parts: { PartNumber: number; ETag: string }[]) => s3.client.send(new CompleteMultipartUploadCommand({ Bucket: 'uploads', Key: 'parts.bin', UploadId, MultipartUpload: { Parts } }));
    expect(
      await Promise.all(
        [
          complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]),
          complete([
            { PartNumber: 2, ETag: small.ETag! },
            { PartNumber: 1, ETag: one.ETag! },
          ]),
          complete([
            { PartNumber: 1, ETag: one.ETag! },
            { PartNumber: 2, ETag: small.ETag! },
            { PartNumber: 3, ETag: three.ETag! },
          ]),
        ].map(failure),
      ),
    ).toEqual([
      ['InvalidPart', 400],
      ['InvalidPartOrder', 400],
      ['EntityTooSmall', 400],
    ]);
    const done = await complete([
      { PartNumber: 1, ETag: one.ETag! },
      { PartNumber: 3, ETag: three.ETag! },
    ]);
    expect(done.ETag).toBe(multipartETag([big.subarray(0, 5 * MiB), big.subarray(6 * MiB, 7 * MiB)]));
    expect((await body('uploads', 'parts.bin')).equals(Buffer.concat([big.subarray(0, 5 * MiB), big.subarray(6 * MiB, 7 * MiB)]))).toBe(true);
    expect(await failure(complete([{ PartNumber: 1, ETag: one.ETag! }]))).toEqual(['NoSuchUpload', 404]);
  });

  it('aborts an upload, and streams of unknown length go up in parts through lib-storage', async () => {
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: 'uploads', Key: 'aborted.bin' }));
    await s3.client.send(new AbortMultipartUploadCommand({ Bucket: 'uploads', Key: 'aborted.bin', UploadId }));
    expect(await failure(s3.client.send(new UploadPartCommand({ Bucket: 'uploads', Key: 'aborted.bin', UploadId, PartNumber: 1, Body: 'x' })))).toEqual(['NoSuchUpload', 404]);
    const key = 'streamed//odd key/../big.jpg';
    const result = await new Upload({ client: s3.client, params: { Bucket: 'uploads', Key: key, Body: Readable.from([big]) }, partSize: 5 * MiB }).done();
    expect(result.ETag).toBe(multipartETag([big.subarray(0, 5 * MiB), big.subarray(5 * MiB, 10 * MiB), big.subarray(10 * MiB)]));
    expect((await body('uploads', key)).equals(big)).toBe(true);
  });
});
