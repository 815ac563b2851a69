import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { unquoteETag } from '../../../events/s3/etag.ts';


export function isNoSuchKey(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/** Opens an object as a stream; `undefined` when it no longer exists (deleted before we got to it). */
export async function openObject(s3: S3Client, bucket: string, key: string): Promise<GetObjectCommandOutput | undefined> {
  try {
    return await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isNoSuchKey(error)) return undefined;
    throw error;
  }
}

/** The eTag of the object as it is now, unquoted; undefined when it is gone. */
export async function currentETag(s3: S3Client, source: { bucket: string; key: string }): Promise<string | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: source.key }));
    return unquoteETag(head.ETag);
  } catch (error) {
    if (isNoSuchKey(error)) return undefined;
    throw error;
  }
}

export interface PutParams {
  bucket: string;
  key: string;
  body: Buffer | Readable | string;
  contentType?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
}

/** Writes an object: a body in memory in one PutObject, a stream as a multipart upload (lib-storage). */
export async function putObject(s3: S3Client, params: PutParams): Promise<void> {
  const input = {
    Bucket: params.bucket,
    Key: params.key,
    Body: params.body,
    ...(params.contentType ? { ContentType: params.contentType } : {}),
    ...(params.cacheControl ? { CacheControl: params.cacheControl } : {}),
    ...(params.metadata ? { Metadata: params.metadata } : {}),
  };
  // A body already in memory goes up in one request; lib-storage's part buffering is for streams.
  if (typeof params.body === 'string' || Buffer.isBuffer(params.body)) {
    await s3.send(new PutObjectCommand(input));
    return;
  }
  await new Upload({ client: s3, params: input }).done();
}
