import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SourceObject, StepSummary } from '../../contract/handler.ts';
import { SUMMARY_SUFFIX } from '../pipeline/quarantine-keys.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import type { OutputRef } from './bucket-output.ts';
import { SOURCE_METADATA } from './bucket-output.ts';
import { isNoSuchKey, openObject, putObject } from './object-io.ts';
import { quarantineKey } from './quarantine.ts';

/**
 * The pipeline's record of one processed source, beside the rest of its bookkeeping for it in the
 * quarantine bucket: `<prefix><pipeline>/<bucket>/<key>.summary.json`. It says which version of the
 * source (eTag) was processed by which pipeline definition (fingerprint), what was written, and
 * what the steps reported (rows in, clean, rejected by reason: counts only, never data values).
 * S3 delivers events at least once: with this record, the same version is not processed twice.
 */
export interface SourceSummary {
  pipeline: string;
  fingerprint: string;
  source: SourceObject;
  outputs: OutputRef[];
  steps: { step: string; summary: StepSummary }[];
  time: string;
}

export function summaryKey(definition: Pipeline, source: Pick<SourceObject, 'bucket' | 'key'>): string {
  return quarantineKey(definition.onError, definition.name, source) + SUMMARY_SUFFIX;
}

export async function writeSummary(s3: S3Client, definition: Pipeline, summary: Omit<SourceSummary, 'time' | 'pipeline'>, now = new Date()): Promise<string> {
  const key = summaryKey(definition, summary.source);
  const body: SourceSummary = { pipeline: definition.name, ...summary, time: now.toISOString() };
  await putObject(s3, { bucket: definition.onError.quarantine.bucket, key, body: `${JSON.stringify(body, null, 2)}\n`, contentType: 'application/json' });
  return key;
}

/**
 * The record of a source that was removed: it said the source was processed and what was written,
 * and both are gone. Deleting one that is not there is not an error (S3's DeleteObject answers the
 * same), so a removal delivered again does nothing more.
 */
export async function deleteSummary(s3: S3Client, definition: Pipeline, source: Pick<SourceObject, 'bucket' | 'key'>): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: definition.onError.quarantine.bucket, Key: summaryKey(definition, source) }));
}

async function readSummary(s3: S3Client, definition: Pipeline, source: Pick<SourceObject, 'bucket' | 'key'>): Promise<SourceSummary | undefined> {
  const object = await openObject(s3, definition.onError.quarantine.bucket, summaryKey(definition, source));
  if (!object?.Body) return undefined;
  try {
    return JSON.parse(await object.Body.transformToString('utf8')) as SourceSummary;
  } catch {
    return undefined; // a record we cannot read proves nothing: process again
  }
}

/** Whether an object output is still there, written from this version of the source. */
async function stillThere(s3: S3Client, output: OutputRef, eTag: string): Promise<boolean> {
  if (!output.bucket || !output.key) return true; // items in a table: written with idempotent puts
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: output.bucket, Key: output.key }));
    return head.Metadata?.[SOURCE_METADATA.eTag] === eTag;
  } catch (error) {
    if (isNoSuchKey(error)) return false;
    throw error;
  }
}

/**
 * Whether this exact version of the source (`eTag`, as it is now) was already processed by this
 * definition and every object it wrote is still there: then a delivery again is skipped. A newer
 * version, a changed pipeline, or a missing output means it is processed again.
 */
export async function alreadyProcessed(s3: S3Client, definition: Pipeline, fingerprint: string, source: Pick<SourceObject, 'bucket' | 'key'>, currentETag: () => Promise<string | undefined>): Promise<boolean> {
  // The record first: a source seen for the first time costs one request that finds nothing.
  const summary = await readSummary(s3, definition, source);
  if (!summary || summary.fingerprint !== fingerprint || !summary.source.eTag) return false;
  const eTag = await currentETag();
  if (summary.source.eTag !== eTag) return false;
  for (const output of summary.outputs) if (!(await stillThere(s3, output, summary.source.eTag))) return false;
  return true;
}
