import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { SOURCE_METADATA } from '../../engine/runtime/bucket-output.ts';
import type { OutputRef } from '../../engine/runtime/bucket-output.ts';
import { isNoSuchKey, openObject } from '../../engine/runtime/object-io.ts';
import type { SourceSummary } from '../../engine/runtime/summary-file.ts';
import { summaryKey } from '../../engine/runtime/summary-file.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketTrigger } from '../../engine/pipeline/schema.ts';
import type { ImageInfo, ObjectDetail, ObjectList, VariantsView } from './api-types.ts';

/** Keys listed at once: a bucket browser, not an export. */
const LISTED = 1000;
/** Images larger than this are shown without their dimensions (they would be read whole to find them). */
const MEASURED_BYTES = 64 * 1024 * 1024;

export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<ObjectList> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: LISTED }));
  return {
    bucket,
    prefix,
    objects: (page.Contents ?? []).map((object) => ({ key: object.Key ?? '', size: object.Size ?? 0, ...(object.LastModified ? { lastModified: object.LastModified.toISOString() } : {}) })),
    truncated: Boolean(page.IsTruncated),
  };
}

async function measureImage(s3: S3Client, bucket: string, key: string): Promise<ImageInfo | undefined> {
  const object = await openObject(s3, bucket, key);
  if (!object?.Body) return undefined;
  try {
    const { format, width, height, pages, pageHeight } = await sharp(await object.Body.transformToByteArray()).metadata();
    return { format, width, height: pages && pages > 1 && pageHeight ? pageHeight : height };
  } catch {
    return undefined; // not an image sharp can read: shown as a plain object
  }
}

/** An object's metadata, its dimensions and format when it is an image, and the source it was made from. */
export async function objectDetail(s3: S3Client, bucket: string, key: string): Promise<ObjectDetail | undefined> {
  let head;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isNoSuchKey(error)) return undefined;
    throw error;
  }
  const metadata = head.Metadata ?? {};
  const size = head.ContentLength ?? 0;
  const image = head.ContentType?.startsWith('image/') && size <= MEASURED_BYTES ? await measureImage(s3, bucket, key) : undefined;
  const from = metadata[SOURCE_METADATA.bucket];
  const fromKey = metadata[SOURCE_METADATA.key];
  return {
    bucket,
    key,
    size,
    ...(head.ContentType ? { contentType: head.ContentType } : {}),
    ...(head.LastModified ? { lastModified: head.LastModified.toISOString() } : {}),
    ...(head.ETag ? { eTag: head.ETag.replace(/"/g, '') } : {}),
    metadata,
    ...(image ? { image } : {}),
    ...(from && fromKey ? { madeFrom: { pipeline: metadata[SOURCE_METADATA.pipeline] ?? '', bucket: from, key: decodeURIComponent(fromKey) } } : {}),
  };
}

async function readSummary(s3: S3Client, pipeline: Pipeline, bucket: string, key: string): Promise<SourceSummary | undefined> {
  const object = await openObject(s3, pipeline.onError.quarantine.bucket, summaryKey(pipeline, { bucket, key }));
  if (!object?.Body) return undefined;
  try {
    return JSON.parse(await object.Body.transformToString('utf8')) as SourceSummary;
  } catch {
    return undefined;
  }
}

/** Items written to a table as one output with their count (a record written before outputs were counted per table lists one per item). */
function byTable(outputs: readonly OutputRef[]): OutputRef[] {
  const objects: OutputRef[] = [];
  const tables = new Map<string, number>();
  for (const output of outputs) {
    if (output.table === undefined) objects.push(output);
    else tables.set(output.table, (tables.get(output.table) ?? 0) + (output.items ?? 1));
  }
  return [...objects, ...[...tables].map(([table, items]) => ({ table, items, size: 0 }))];
}

/**
 * A source object beside what each pipeline made of it: the outputs its record of the source lists
 * (`<key>.summary.json` in the quarantine bucket), each with its own metadata and dimensions.
 */
export async function variantsOf(s3: S3Client, pipelines: readonly Pipeline[], bucket: string, key: string): Promise<VariantsView | undefined> {
  const source = await objectDetail(s3, bucket, key);
  if (!source) return undefined;
  const derived: VariantsView['derived'] = [];
  for (const pipeline of pipelines) {
    if (!isBucketTrigger(pipeline.on) || pipeline.on.bucket !== bucket) continue;
    const summary = await readSummary(s3, pipeline, bucket, key);
    if (!summary) continue;
    const outputs = await Promise.all(
      byTable(summary.outputs).map(async (output) => {
        const detail = output.bucket && output.key ? await objectDetail(s3, output.bucket, output.key) : undefined;
        return { ...output, ...(detail ? { detail } : {}) };
      }),
    );
    derived.push({ pipeline: pipeline.name, time: summary.time, outputs });
  }
  return { source, derived };
}
