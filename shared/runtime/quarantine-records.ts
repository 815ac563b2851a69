import type { S3Client } from '@aws-sdk/client-s3';
import { REJECTED_RECORDS_SUFFIX, quarantineBatchKey, quarantinePrefix } from '../pipeline/quarantine-keys.ts';
import type { OnError } from '../pipeline/schema.ts';
import { putObject } from './object-io.ts';
import type { FailureReason } from './quarantine.ts';
import type { Rejection } from './run-steps.ts';

/** One line of a rejected-records file: where the record came from, who refused it and why. */
function rejectionLine(rejection: Rejection): string {
  const { item, step } = rejection;
  return JSON.stringify({ source: item.origin.source, position: item.origin.position, step, reasons: item.reasons, ...(item.record !== undefined ? { record: item.record } : {}) });
}

/**
 * The records steps rejected from one source object, beside where the object itself would be
 * quarantined: `<prefix><pipeline>/<bucket>/<key>.rejected.ndjson`, one JSON line per record.
 */
export async function quarantineRejectedRows(s3: S3Client, options: { onError: OnError; pipeline: string; bucket: string; key: string; rejections: readonly Rejection[] }): Promise<string> {
  const key = quarantinePrefix(options.onError, options.pipeline, options.bucket) + options.key + REJECTED_RECORDS_SUFFIX;
  await putObject(s3, {
    bucket: options.onError.quarantine.bucket,
    key,
    body: options.rejections.map(rejectionLine).join('\n') + '\n',
    contentType: 'application/x-ndjson',
  });
  return key;
}

export interface QuarantinedBatch {
  pipeline: string;
  table: string;
  reason: FailureReason;
  attempts?: number;
  /** The stream records as delivered, oldest first. */
  records: readonly StreamRecordLike[];
}

/** What the quarantine reads of a stream record: its sequence number, to name the file. */
export interface StreamRecordLike {
  dynamodb?: { SequenceNumber?: string };
}

async function putJson(s3: S3Client, bucket: string, key: string, body: unknown): Promise<void> {
  await putObject(s3, { bucket, key, body: `${JSON.stringify(body, null, 2)}\n`, contentType: 'application/json' });
}

/**
 * A table-triggered pipeline's quarantine for a batch that failed (retries used up, records too
 * old, a permanent error): Lambda's on-failure destination, but with the records themselves rather
 * than a pointer into a stream that forgets them after 24 hours.
 * `<prefix><pipeline>/<table>/<first>-<last>.failed.json`.
 */
export async function quarantineStreamBatch(s3: S3Client, onError: OnError, batch: QuarantinedBatch, now = new Date()): Promise<string> {
  const sequence = (index: number) => batch.records[index]?.dynamodb?.SequenceNumber ?? 'unknown';
  const key = quarantineBatchKey(onError, batch.pipeline, batch.table, sequence(0), sequence(batch.records.length - 1), 'failed');
  await putJson(s3, onError.quarantine.bucket, key, {
    pipeline: batch.pipeline,
    table: batch.table,
    error: batch.reason,
    ...(batch.attempts !== undefined ? { attempts: batch.attempts } : {}),
    time: now.toISOString(),
    records: batch.records,
  });
  return key;
}

/**
 * One record a step rejected, with its reasons: `<prefix><pipeline>/<table>/<seq>-<seq>.rejected.json`,
 * one file per record so that a batch delivered again writes the same files, not new ones.
 */
export async function quarantineRejectedChange(s3: S3Client, onError: OnError, options: { pipeline: string; table: string; rejection: Rejection; record?: unknown }, now = new Date()): Promise<string> {
  const { position } = options.rejection.item.origin;
  const key = quarantineBatchKey(onError, options.pipeline, options.table, position, position, 'rejected');
  await putJson(s3, onError.quarantine.bucket, key, {
    pipeline: options.pipeline,
    table: options.table,
    ...(JSON.parse(rejectionLine(options.rejection)) as object),
    time: now.toISOString(),
    ...(options.record !== undefined ? { streamRecord: options.record } : {}),
  });
  return key;
}
