import type { S3Client } from '@aws-sdk/client-s3';
import type { SourceObject, StepSummary } from '../handlers/types.ts';
import { SUMMARY_SUFFIX, quarantinePrefix } from '../pipeline/quarantine-keys.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import { putObject } from './object-io.ts';

/**
 * What the steps reported about one source (rows in, clean, rejected by reason, deduplicated),
 * beside the rest of the pipeline's bookkeeping for it in the quarantine bucket:
 * `<prefix><pipeline>/<bucket>/<key>.summary.json`. Counts only, never a value from the data.
 */
export async function writeSummary(s3: S3Client, definition: Pipeline, source: SourceObject, summaries: readonly { step: string; summary: StepSummary }[], now = new Date()): Promise<string> {
  const key = quarantinePrefix(definition.onError, definition.name, source.bucket) + source.key + SUMMARY_SUFFIX;
  const body = { pipeline: definition.name, source, time: now.toISOString(), steps: summaries };
  await putObject(s3, { bucket: definition.onError.quarantine.bucket, key, body: `${JSON.stringify(body, null, 2)}\n`, contentType: 'application/json' });
  return key;
}
