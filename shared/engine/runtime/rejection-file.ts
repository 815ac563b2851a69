import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { REJECTED_RECORDS_SUFFIX } from '../pipeline/quarantine-keys.ts';
import type { OnError } from '../pipeline/schema.ts';
import { putObject } from './object-io.ts';
import { quarantineKey } from './quarantine.ts';
import type { Rejection } from './run-steps.ts';

/** One line of a rejected-records file: where the record came from, who refused it and why. */
export function rejectionLine(rejection: Rejection): string {
  const { item, step } = rejection;
  return JSON.stringify({ source: item.origin.source, position: item.origin.position, step, reasons: item.reasons, ...(item.record !== undefined ? { record: item.record } : {}) });
}

/**
 * The records steps rejected from one source object, streamed as they come into one quarantine
 * object beside where the source itself would be quarantined:
 * `<prefix><pipeline>/<bucket>/<key>.rejected.ndjson`. Constant memory however many rows a file
 * has wrong; nothing is written for a source without rejections.
 */
export class RejectionFile {
  private body: PassThrough | undefined;
  private upload: Promise<void> | undefined;
  private lines = 0;
  readonly bucket: string;
  readonly key: string;
  private readonly s3: S3Client;

  constructor(s3: S3Client, onError: OnError, pipeline: string, source: { bucket: string; key: string }) {
    this.s3 = s3;
    this.bucket = onError.quarantine.bucket;
    this.key = quarantineKey(onError, pipeline, source) + REJECTED_RECORDS_SUFFIX;
  }

  async add(rejection: Rejection): Promise<void> {
    if (!this.body) {
      const body = new PassThrough();
      this.body = body;
      this.upload = putObject(this.s3, { bucket: this.bucket, key: this.key, body, contentType: 'application/x-ndjson' });
    }
    this.lines++;
    if (!this.body.write(`${rejectionLine(rejection)}\n`)) await once(this.body, 'drain');
  }

  /** Ends the file and waits until it is stored; the number of records in it. */
  async finish(): Promise<number> {
    if (!this.body) return 0;
    this.body.end();
    await this.upload;
    return this.lines;
  }
}
