import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SourceObject } from '../../contract/handler.ts';
import { renderKey } from '../pipeline/key-template.ts';
import type { BucketOutput } from '../pipeline/schema.ts';
import { SOURCE_METADATA } from './bucket-output.ts';
import type { OutputRef } from './bucket-output.ts';
import { isNoSuchKey } from './object-io.ts';

// Stands for what a handler or the clock decides (`{ext}`, `{variant}`, `{date}`): never in a real key.
const UNKNOWN = '\u0000';

/**
 * The longest key prefix every output of `source` shares: the key template rendered up to the
 * first placeholder the source does not decide. The whole key when the template has none.
 */
export function outputKeyPrefix(to: BucketOutput, pipeline: string, source: Pick<SourceObject, 'bucket' | 'key'>): { prefix: string; exact: boolean } {
  const rendered = renderKey(to.key.replace(/\{(ext|variant|date)\}/g, UNKNOWN), { pipeline, sourceBucket: source.bucket, sourceKey: source.key });
  const cut = rendered.indexOf(UNKNOWN);
  return cut === -1 ? { prefix: rendered, exact: true } : { prefix: rendered.slice(0, cut), exact: false };
}

async function madeFrom(s3: S3Client, bucket: string, key: string, pipeline: string, source: Pick<SourceObject, 'bucket' | 'key'>): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const meta = head.Metadata ?? {};
    const sourceKey = meta[SOURCE_METADATA.key];
    return meta[SOURCE_METADATA.pipeline] === pipeline && meta[SOURCE_METADATA.bucket] === source.bucket && sourceKey !== undefined && decodeURIComponent(sourceKey) === source.key;
  } catch (error) {
    if (isNoSuchKey(error)) return false;
    throw error;
  }
}

async function* keysUnder(s3: S3Client, bucket: string, prefix: string): AsyncIterable<string> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * What a `removed` event does: deletes the outputs this pipeline made from the removed object,
 * found under the key template's prefix and recognised by the source recorded in their metadata
 * (never by key alone: another source's outputs may share the prefix). Deleting what is already
 * gone is not an error, so a redelivered event does nothing more.
 */
export async function deleteOutputsOf(s3: S3Client, to: BucketOutput, pipeline: string, source: Pick<SourceObject, 'bucket' | 'key'>): Promise<OutputRef[]> {
  const { prefix, exact } = outputKeyPrefix(to, pipeline, source);
  const candidates: string[] = [];
  if (exact) candidates.push(prefix);
  else for await (const key of keysUnder(s3, to.bucket, prefix)) candidates.push(key);
  const deleted: OutputRef[] = [];
  for (const key of candidates) {
    if (!(await madeFrom(s3, to.bucket, key, pipeline, source))) continue;
    await s3.send(new DeleteObjectCommand({ Bucket: to.bucket, Key: key }));
    deleted.push({ bucket: to.bucket, key, size: 0 });
  }
  return deleted;
}
