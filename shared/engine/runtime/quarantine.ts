import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { SluiceError, StepError } from '../../contract/errors.ts';
import type { SourceObject } from '../../contract/handler.ts';
import { QUARANTINE_REASON_SUFFIX, quarantinePrefix } from '../pipeline/quarantine-keys.ts';
import type { OnError } from '../pipeline/schema.ts';
import { openObject, putObject } from './object-io.ts';

export interface FailureReason {
  code: string;
  message: string;
  step?: string;
}

export function failureReason(error: unknown): FailureReason {
  if (error instanceof StepError) return { code: error.code, message: error.message, step: error.step };
  if (error instanceof SluiceError) return { code: error.code, message: error.message };
  const name = (error as { name?: string })?.name ?? 'Error';
  return { code: name, message: error instanceof Error ? error.message : String(error) };
}

/** Where a failed source lands: `<prefix><pipeline>/<source bucket>/<source key>`, its reason beside it. */
export function quarantineKey(onError: OnError, pipeline: string, source: Pick<SourceObject, 'bucket' | 'key'>): string {
  return quarantinePrefix(onError, pipeline, source.bucket) + source.key;
}

/**
 * Puts a copy of the failed source object and `<key>.error.json` (the reason) in the quarantine
 * bucket, so nothing is lost and the reason travels with the data. The copy is streamed through
 * this process rather than CopyObject, which S3-compatible servers implement unevenly for keys
 * with special characters.
 */
export async function quarantineObject(
  s3: S3Client,
  options: { onError: OnError; pipeline: string; source: SourceObject; reason: FailureReason; attempts: number; now?: Date },
): Promise<string> {
  const key = quarantineKey(options.onError, options.pipeline, options.source);
  const bucket = options.onError.quarantine.bucket;
  const original = await openObject(s3, options.source.bucket, options.source.key);
  if (original) {
    await putObject(s3, {
      bucket,
      key,
      body: original.Body as Readable,
      ...(original.ContentType ? { contentType: original.ContentType } : {}),
      metadata: { 'sluice-pipeline': options.pipeline, 'sluice-error-code': options.reason.code.replace(/[^\x20-\x7e]/g, '?') },
    });
  }
  const report = {
    pipeline: options.pipeline,
    source: options.source,
    sourceCopied: Boolean(original),
    error: options.reason,
    attempts: options.attempts,
    time: (options.now ?? new Date()).toISOString(),
  };
  await putObject(s3, { bucket, key: key + QUARANTINE_REASON_SUFFIX, body: `${JSON.stringify(report, null, 2)}\n`, contentType: 'application/json' });
  return key;
}
