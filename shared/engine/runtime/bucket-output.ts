import { Transform, pipeline as pipeStreams } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { SluiceError } from '../../contract/errors.ts';
import type { ObjectItem, SourceObject } from '../../contract/handler.ts';
import { renderKey } from '../pipeline/key-template.ts';
import type { BucketOutput } from '../pipeline/schema.ts';
import { putObject } from './object-io.ts';

export interface OutputRef {
  /** `bucket/key` of an object, or the table items went to. */
  bucket?: string;
  key?: string;
  table?: string;
  /** For a table: how many items were written to it (one ref per table, however many rows). */
  items?: number;
  size: number;
  contentType?: string;
}

/** What outputs come to: one per object, and every item written to a table. */
export function countOutputs(outputs: readonly OutputRef[]): number {
  return outputs.reduce((sum, output) => sum + (output.table !== undefined ? (output.items ?? 1) : 1), 0);
}

/** Metadata names that tie an output to its source, so a removed source's outputs can be found and deleted. */
export const SOURCE_METADATA = { pipeline: 'sluice-pipeline', bucket: 'sluice-source-bucket', key: 'sluice-source-key', eTag: 'sluice-source-etag' } as const;

/** User metadata of an output: its own, and what ties it to its source. */
export function sourceMetadata(pipeline: string, source: SourceObject | undefined, own: Record<string, string> = {}): Record<string, string> {
  return {
    ...own,
    [SOURCE_METADATA.pipeline]: pipeline,
    ...(source
      ? {
          [SOURCE_METADATA.bucket]: source.bucket,
          // S3 user metadata travels as HTTP headers: ASCII only, so the key is percent-encoded.
          [SOURCE_METADATA.key]: encodeURIComponent(source.key),
          ...(source.eTag ? { [SOURCE_METADATA.eTag]: source.eTag } : {}),
        }
      : {}),
  };
}

/** Where a source's outputs go: the bucket output of one pipeline, for one source object. */
export interface OutputTarget {
  s3: S3Client;
  pipeline: string;
  to: BucketOutput;
  source: SourceObject | undefined;
}

/**
 * Writes objects to the output bucket under the key template, each tagged with the source it was
 * made from. Two outputs of one source on the same key would overwrite each other: refused.
 */
export class BucketWriter {
  private readonly written = new Set<string>();
  readonly outputs: OutputRef[] = [];
  private readonly target: OutputTarget;

  constructor(target: OutputTarget) {
    this.target = target;
  }

  async write(item: ObjectItem): Promise<void> {
    const { s3, pipeline, to, source } = this.target;
    const key = renderKey(to.key, {
      pipeline: pipeline,
      sourceBucket: source?.bucket ?? '',
      sourceKey: source?.key ?? '',
      ...(item.ext ? { ext: item.ext } : {}),
      ...(item.variant ? { variant: item.variant } : {}),
    });
    if (this.written.has(key)) {
      throw new SluiceError('OUTPUT_KEY_CONFLICT', `two outputs would be written to ${to.bucket}/${key}; add {variant} to the key template "${to.key}"`, { permanent: true });
    }
    this.written.add(key);
    // A streamed body is counted on its way up, so the output's size is known as a buffer's is.
    let size = Buffer.isBuffer(item.body) ? item.body.length : 0;
    let body = item.body;
    if (!Buffer.isBuffer(body)) {
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      // An error of the source destroys the counter with it, which fails the upload.
      pipeStreams(body, counter, () => undefined);
      body = counter;
    }
    await putObject(s3, {
      bucket: to.bucket,
      key,
      body,
      ...(item.contentType ? { contentType: item.contentType } : {}),
      ...(item.cacheControl ? { cacheControl: item.cacheControl } : {}),
      metadata: sourceMetadata(pipeline, source, item.metadata),
    });
    this.outputs.push({ bucket: to.bucket, key, size, ...(item.contentType ? { contentType: item.contentType } : {}) });
  }
}
