import type { S3Client } from '@aws-sdk/client-s3';
import { SluiceError } from '../errors.ts';
import type { ObjectItem, SourceObject } from '../handlers/types.ts';
import { renderKey } from '../pipeline/key-template.ts';
import type { BucketOutput } from '../pipeline/schema.ts';
import { putObject } from './object-io.ts';

export interface OutputRef {
  /** `bucket/key` of an object, or the table an item went to. */
  bucket?: string;
  key?: string;
  table?: string;
  size: number;
  contentType?: string;
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

/**
 * Writes objects to the output bucket under the key template, each tagged with the source it was
 * made from. Two outputs of one source on the same key would overwrite each other: refused.
 */
export class BucketWriter {
  private readonly written = new Set<string>();
  readonly outputs: OutputRef[] = [];
  private readonly s3: S3Client;
  private readonly pipeline: string;
  private readonly to: BucketOutput;
  private readonly source: SourceObject | undefined;

  constructor(s3: S3Client, pipeline: string, to: BucketOutput, source: SourceObject | undefined) {
    this.s3 = s3;
    this.pipeline = pipeline;
    this.to = to;
    this.source = source;
  }

  async write(item: ObjectItem): Promise<void> {
    const key = renderKey(this.to.key, {
      pipeline: this.pipeline,
      sourceBucket: this.source?.bucket ?? '',
      sourceKey: this.source?.key ?? '',
      ...(item.ext ? { ext: item.ext } : {}),
      ...(item.variant ? { variant: item.variant } : {}),
    });
    if (this.written.has(key)) {
      throw new SluiceError('OUTPUT_KEY_CONFLICT', `two outputs would be written to ${this.to.bucket}/${key}; add {variant} to the key template "${this.to.key}"`, { permanent: true });
    }
    this.written.add(key);
    await putObject(this.s3, {
      bucket: this.to.bucket,
      key,
      body: item.body,
      ...(item.contentType ? { contentType: item.contentType } : {}),
      ...(item.cacheControl ? { cacheControl: item.cacheControl } : {}),
      metadata: sourceMetadata(this.pipeline, this.source, item.metadata),
    });
    this.outputs.push({ bucket: this.to.bucket, key, size: Buffer.isBuffer(item.body) ? item.body.length : 0, ...(item.contentType ? { contentType: item.contentType } : {}) });
  }
}
