import type { S3Client } from '@aws-sdk/client-s3';
import { quarantineBatchKey } from '../pipeline/quarantine-keys.ts';
import type { OnError } from '../pipeline/schema.ts';
import { putObject } from './object-io.ts';
import type { FailureReason } from './quarantine.ts';
import { rejectionLine } from './rejection-file.ts';
import type { Rejection } from './run-steps.ts';

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
