import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ObjectEvent } from '../../events/s3/normalize.ts';
import { SluiceError, StepError } from '../errors.ts';
import type { ObjectItem, SourceObject, StepContext } from '../handlers/types.ts';
import type { Logger } from '../log/logger.ts';
import { renderKey } from '../pipeline/key-template.ts';
import type { CompiledPipeline, CompiledStep } from './compile.ts';
import { unquoteETag } from '../../events/s3/etag.ts';
import { openObject, putObject } from './object-io.ts';
import type { FailureReason } from './quarantine.ts';
import { failureReason, quarantineObject } from './quarantine.ts';
import { withRetries } from './retry.ts';

export interface RunDeps {
  s3: S3Client;
  logger: Logger;
  /** Delay before the first retry (doubles each time); tests shorten it. */
  retryDelayMs?: number;
}

export interface OutputRef {
  bucket: string;
  key: string;
  size: number;
  contentType?: string;
}

export interface ObjectResult {
  pipeline: string;
  source: SourceObject;
  status: 'processed' | 'quarantined' | 'skipped';
  outputs: OutputRef[];
  attempts: number;
  durationMs: number;
  error?: FailureReason;
  quarantineKey?: string;
  /** Why nothing was done, for skipped objects. */
  reason?: string;
  /** Milliseconds spent in each step (by index), summed over the items it produced. */
  stepMs: number[];
}

async function* single(item: ObjectItem): AsyncIterable<ObjectItem> {
  yield item;
}

/** Runs one step and pins any failure on it; failures from earlier steps pass through unchanged. */
async function* runStep(step: CompiledStep, items: AsyncIterable<ObjectItem>, ctx: StepContext, stepMs: number[]): AsyncIterable<ObjectItem> {
  const iterator = step.run(items, ctx)[Symbol.asyncIterator]();
  for (;;) {
    const started = performance.now();
    let next: IteratorResult<ObjectItem>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw error instanceof StepError ? error : new StepError(step.handler, step.index, error);
    } finally {
      stepMs[step.index] = (stepMs[step.index] ?? 0) + (performance.now() - started);
    }
    if (next.done) return;
    yield next.value;
  }
}

function outputMetadata(pipeline: string, source: SourceObject, item: ObjectItem): Record<string, string> {
  return {
    ...item.metadata,
    'sluice-pipeline': pipeline,
    'sluice-source-bucket': source.bucket,
    // S3 user metadata travels as HTTP headers: ASCII only, so the key is percent-encoded.
    'sluice-source-key': encodeURIComponent(source.key),
    ...(source.eTag ? { 'sluice-source-etag': source.eTag } : {}),
  };
}

async function runOnce(compiled: CompiledPipeline, event: S3ObjectEvent, deps: RunDeps, stepMs: number[]): Promise<{ source: SourceObject; outputs: OutputRef[] } | undefined> {
  const { definition } = compiled;
  const object = await openObject(deps.s3, event.bucket, event.key);
  if (!object) return undefined;
  const source: SourceObject = {
    bucket: event.bucket,
    key: event.key,
    ...(object.ETag ? { eTag: unquoteETag(object.ETag) } : {}),
    ...(object.ContentLength !== undefined ? { size: object.ContentLength } : {}),
    ...(object.ContentType ? { contentType: object.ContentType } : {}),
  };
  const ctx: StepContext = { pipeline: definition.name, source, logger: deps.logger };
  let items: AsyncIterable<ObjectItem> = single({ body: object.Body as Readable, ...(source.contentType ? { contentType: source.contentType } : {}) });
  for (const step of compiled.steps) items = runStep(step, items, ctx, stepMs);

  const outputs: OutputRef[] = [];
  const written = new Set<string>();
  for await (const item of items) {
    const key = renderKey(definition.to.key, {
      pipeline: definition.name,
      sourceBucket: source.bucket,
      sourceKey: source.key,
      ...(item.ext ? { ext: item.ext } : {}),
      ...(item.variant ? { variant: item.variant } : {}),
    });
    if (written.has(key)) {
      throw new SluiceError('OUTPUT_KEY_CONFLICT', `two outputs would be written to ${definition.to.bucket}/${key}; add {variant} to the key template "${definition.to.key}"`, { permanent: true });
    }
    written.add(key);
    await putObject(deps.s3, {
      bucket: definition.to.bucket,
      key,
      body: item.body,
      ...(item.contentType ? { contentType: item.contentType } : {}),
      ...(item.cacheControl ? { cacheControl: item.cacheControl } : {}),
      metadata: outputMetadata(definition.name, source, item),
    });
    outputs.push({ bucket: definition.to.bucket, key, size: Buffer.isBuffer(item.body) ? item.body.length : 0, ...(item.contentType ? { contentType: item.contentType } : {}) });
  }
  return { source, outputs };
}

/**
 * Processes one object event through a pipeline: read the source, run the steps in order, write
 * every output. Transient failures are retried; what still fails is quarantined with its reason.
 * Throws only when even the quarantine cannot be written, so the caller (Lambda) retries.
 */
export async function processObjectEvent(compiled: CompiledPipeline, event: S3ObjectEvent, deps: RunDeps): Promise<ObjectResult> {
  const { definition } = compiled;
  const started = performance.now();
  const eventSource: SourceObject = { bucket: event.bucket, key: event.key, ...(event.eTag ? { eTag: event.eTag } : {}), ...(event.size !== undefined ? { size: event.size } : {}) };
  const logger = deps.logger.child({ pipeline: definition.name, bucket: event.bucket, key: event.key });
  const stepMs: number[] = [];
  let attempts = 0;
  const base = { pipeline: definition.name, stepMs };
  try {
    const done = await withRetries(
      () => {
        attempts++;
        return runOnce(compiled, event, { ...deps, logger }, stepMs);
      },
      { retries: definition.onError.retries, ...(deps.retryDelayMs !== undefined ? { baseDelayMs: deps.retryDelayMs } : {}) },
    );
    const durationMs = performance.now() - started;
    if (!done) {
      logger.info('source object no longer exists; skipped');
      return { ...base, source: eventSource, status: 'skipped', outputs: [], attempts, durationMs, reason: 'the source object no longer exists' };
    }
    logger.info({ outputs: done.outputs.length, durationMs }, 'processed');
    return { ...base, source: done.source, status: 'processed', outputs: done.outputs, attempts, durationMs };
  } catch (error) {
    const reason = failureReason(error);
    logger.warn({ code: reason.code, step: reason.step, attempts }, `failed: ${reason.message}`);
    const key = await quarantineObject(deps.s3, { onError: definition.onError, pipeline: definition.name, source: eventSource, reason, attempts });
    return { ...base, source: eventSource, status: 'quarantined', outputs: [], attempts, durationMs: performance.now() - started, error: reason, quarantineKey: key };
  }
}
