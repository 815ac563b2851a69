import type { S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketTrigger } from '../../engine/pipeline/schema.ts';
import { BATCH_SUFFIXES, quarantinePrefix } from '../../engine/pipeline/quarantine-keys.ts';
import { openObject } from '../../engine/runtime/object-io.ts';
import { listKeys } from './list-keys.ts';

type Keys = Record<string, unknown>;

/** What a table-triggered pipeline quarantined, as a test reads it back: a record a step rejected, or a batch given up on. */
export type StreamQuarantineFile =
  | { kind: 'rejected'; where: string; pipeline: string; table: string; keys: Keys; reasons: { field?: string; message: string }[] }
  | { kind: 'failed'; where: string; pipeline: string; table: string; error: { code?: string; message?: string }; records: Keys[] };

interface StreamRecordJson {
  dynamodb?: { Keys?: Record<string, unknown> };
}

// Number keys stay exact (NumberValue, compared by decimal value): a key is never rounded.
function keysOf(record: StreamRecordJson | undefined, fallback?: unknown): Keys {
  const marshalled = record?.dynamodb?.Keys;
  if (marshalled) return unmarshall(marshalled as never, { wrapNumbers: true });
  return fallback !== null && typeof fallback === 'object' ? (fallback as Keys) : {};
}

/**
 * Reads one quarantine file of the layout `quarantineBatchKey` names (`<seq>-<seq>.rejected.json`
 * or `<first>-<last>.failed.json`); undefined for any other object under the prefix.
 */
export function parseStreamQuarantine(where: string, pipeline: string, table: string, text: string): StreamQuarantineFile | undefined {
  if (where.endsWith(BATCH_SUFFIXES.rejected)) {
    const body = JSON.parse(text) as { reasons?: { field?: string; message: string }[]; streamRecord?: StreamRecordJson; record?: { keys?: unknown } };
    return { kind: 'rejected', where, pipeline, table, keys: keysOf(body.streamRecord, body.record?.keys), reasons: body.reasons ?? [] };
  }
  if (where.endsWith(BATCH_SUFFIXES.failed)) {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string }; records?: StreamRecordJson[] };
    return { kind: 'failed', where, pipeline, table, error: body.error ?? {}, records: (body.records ?? []).map((record) => keysOf(record)) };
  }
  return undefined;
}

/**
 * Everything every table-triggered pipeline of the project quarantined, read from its quarantine
 * bucket (`<prefix><pipeline>/<table>/`): the files, not the batch results, since batches given up
 * on after their retries are quarantined by the event source mapping, outside any invocation.
 */
export async function readStreamQuarantine(s3: S3Client, pipelines: readonly Pipeline[]): Promise<StreamQuarantineFile[]> {
  const files: StreamQuarantineFile[] = [];
  for (const pipeline of pipelines) {
    if (isBucketTrigger(pipeline.on)) continue;
    const { bucket } = pipeline.onError.quarantine;
    for (const key of await listKeys(s3, bucket, quarantinePrefix(pipeline.onError, pipeline.name, pipeline.on.table))) {
      const object = await openObject(s3, bucket, key);
      if (!object?.Body) continue;
      const file = parseStreamQuarantine(`${bucket}/${key}`, pipeline.name, pipeline.on.table, await object.Body.transformToString('utf8'));
      if (file) files.push(file);
    }
  }
  return files;
}
