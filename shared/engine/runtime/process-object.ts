import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ObjectEvent } from '../../../events/s3/normalize.ts';
import { unquoteETag } from '../../../events/s3/etag.ts';
import { SluiceError } from '../../contract/errors.ts';
import type { Item, SourceObject, StepContext, StepSummary } from '../../contract/handler.ts';
import type { Logger } from '../../contract/logger.ts';
import { DEFAULT_OBJECT_RETRIES, isBucketOutput } from '../pipeline/schema.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import type { OutputRef } from './bucket-output.ts';
import { countOutputs } from './bucket-output.ts';
import type { CompiledPipeline } from './compile.ts';
import { deleteOutputsOf } from './delete-outputs.ts';
import { currentETag, openObject } from './object-io.ts';
import { createOutputSink } from './output-sink.ts';
import type { FailureReason } from './quarantine.ts';
import { failureReason, quarantineObject } from './quarantine.ts';
import { RejectionFile } from './rejection-file.ts';
import type { Rejection } from './run-steps.ts';
import { alreadyProcessed, deleteSummary, writeSummary } from './summary-file.ts';
import { runSteps } from './run-steps.ts';
import type { RetryOptions } from './retry.ts';
import { withRetries } from './retry.ts';

export type { OutputRef } from './bucket-output.ts';

export interface RunDeps {
  s3: S3Client;
  /** For pipelines that read a table's stream or write to a table. */
  dynamodb?: DynamoDBClient;
  logger: Logger;
  /** Delay before the first retry (doubles each time); tests shorten it. */
  retryDelayMs?: number;
}

export interface ObjectResult {
  pipeline: string;
  source: SourceObject;
  /** `deleted`: a removed source's outputs were deleted. */
  status: 'processed' | 'quarantined' | 'skipped' | 'deleted';
  outputs: OutputRef[];
  /** Records steps rejected (quarantined beside the source); the rest were written. */
  rejected: number;
  /** `bucket/key` of the rejected records' file. */
  rejectedKey?: string;
  /** What the steps reported about this source (rows in, clean, rejected by reason, ...). */
  summaries?: { step: string; summary: StepSummary }[];
  attempts: number;
  durationMs: number;
  error?: FailureReason;
  quarantineKey?: string;
  /** Why nothing was done, for skipped objects. */
  reason?: string;
  /** Milliseconds spent in each step (by index), summed over the items it produced. */
  stepMs: number[];
}

/** Lambda's retries of an asynchronous invocation, as the pipeline sets them. */
function retryOptions(definition: Pipeline, deps: RunDeps): RetryOptions {
  return { retries: definition.onError.retries ?? DEFAULT_OBJECT_RETRIES, ...(deps.retryDelayMs !== undefined ? { baseDelayMs: deps.retryDelayMs } : {}) };
}

async function* single(item: Item): AsyncIterable<Item> {
  yield item;
}

interface Attempt {
  source: SourceObject;
  outputs: OutputRef[];
  /** Records steps rejected, and where they were quarantined. */
  rejected: number;
  rejectedKey?: string;
  summaries: { step: string; summary: StepSummary }[];
}

async function runOnce(compiled: CompiledPipeline, event: S3ObjectEvent, deps: RunDeps, stepMs: number[]): Promise<Attempt | undefined> {
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
  const summaries: Attempt['summaries'] = [];
  const ctx: StepContext = { pipeline: definition.name, source, logger: deps.logger };
  const rejections = new RejectionFile(deps.s3, definition.onError, definition.name, event);
  const first: Item = { kind: 'object', body: object.Body as Readable, ...(source.size !== undefined ? { size: source.size } : {}), ...(source.contentType ? { contentType: source.contentType } : {}) };
  const sink = createOutputSink(definition, deps, source);
  const handlers = { onRejected: (rejection: Rejection) => rejections.add(rejection), onReport: (step: string, summary: StepSummary) => summaries.push({ step, summary }) };
  for await (const item of runSteps(compiled.steps, single(first), ctx, stepMs, handlers)) await sink.write(item);
  const { outputs, failed } = await sink.finish();
  const rejected = await rejections.finish();
  // Rows a table did not take after its own retries: the object is tried again as a whole (puts are idempotent).
  if (failed.length) throw failed[0]!.error instanceof Error ? failed[0]!.error : new SluiceError('OUTPUT_FAILED', String(failed[0]!.error));
  return { source, outputs, rejected, ...(rejected ? { rejectedKey: `${rejections.bucket}/${rejections.key}` } : {}), summaries };
}

/** A `removed` event: no steps run; the outputs made from the removed object are deleted, and the record of it. */
async function processRemoval(compiled: CompiledPipeline, event: S3ObjectEvent, deps: RunDeps, base: { pipeline: string; stepMs: number[] }, source: SourceObject): Promise<ObjectResult> {
  const { definition } = compiled;
  const started = performance.now();
  let attempts = 0;
  if (!isBucketOutput(definition.to)) throw new Error(`pipeline ${definition.name}: removed events need a bucket output`);
  const to = definition.to;
  const deleted = await withRetries(
    async () => {
      attempts++;
      const outputs = await deleteOutputsOf(deps.s3, to, definition.name, source);
      // The record that the source was processed, and what was written from it, is stale with both gone;
      // what was quarantined from it (a failed copy, rejected records) stays: nothing else holds it now.
      await deleteSummary(deps.s3, definition, source);
      return outputs;
    },
    retryOptions(definition, deps),
  );
  deps.logger.info({ deleted: deleted.length }, 'source removed; its outputs and its record deleted');
  return { ...base, source, status: 'deleted', outputs: deleted, rejected: 0, attempts, durationMs: performance.now() - started };
}

/**
 * Processes one object event through a pipeline: read the source, run the steps in order, write
 * every output. Transient failures are retried; what still fails is quarantined with its reason,
 * and records a step rejects are quarantined beside it while the rest are written.
 * Throws only when even the quarantine cannot be written, so the caller (Lambda) retries.
 */
export async function processObjectEvent(compiled: CompiledPipeline, event: S3ObjectEvent, deps: RunDeps): Promise<ObjectResult> {
  const { definition } = compiled;
  const started = performance.now();
  const eventSource: SourceObject = { bucket: event.bucket, key: event.key, ...(event.eTag ? { eTag: event.eTag } : {}), ...(event.size !== undefined ? { size: event.size } : {}) };
  const logger = deps.logger.child({ pipeline: definition.name, bucket: event.bucket, key: event.key });
  const stepMs: number[] = [];
  const base = { pipeline: definition.name, stepMs };
  if (event.kind === 'removed') return processRemoval(compiled, event, { ...deps, logger }, base, eventSource);
  let attempts = 0;
  if (await alreadyProcessed(deps.s3, definition, compiled.fingerprint, event, () => currentETag(deps.s3, event))) {
    logger.info('this version of the source was already processed; skipped');
    return { ...base, source: eventSource, status: 'skipped', outputs: [], rejected: 0, attempts, durationMs: performance.now() - started, reason: 'this version was already processed' };
  }
  try {
    const done = await withRetries(
      () => {
        attempts++;
        return runOnce(compiled, event, { ...deps, logger }, stepMs);
      },
      retryOptions(definition, deps),
    );
    const durationMs = performance.now() - started;
    if (!done) {
      logger.info('source object no longer exists; skipped');
      return { ...base, source: eventSource, status: 'skipped', outputs: [], rejected: 0, attempts, durationMs, reason: 'the source object no longer exists' };
    }
    if (done.rejected) logger.warn({ rejected: done.rejected, quarantined: done.rejectedKey }, 'records rejected; quarantined beside the source');
    await writeSummary(deps.s3, definition, { fingerprint: compiled.fingerprint, source: done.source, outputs: done.outputs, steps: done.summaries });
    logger.info({ outputs: countOutputs(done.outputs), durationMs }, 'processed');
    return {
      ...base,
      source: done.source,
      status: 'processed',
      outputs: done.outputs,
      rejected: done.rejected,
      ...(done.rejectedKey ? { rejectedKey: done.rejectedKey } : {}),
      summaries: done.summaries,
      attempts,
      durationMs,
    };
  } catch (error) {
    const reason = failureReason(error);
    logger.warn({ code: reason.code, step: reason.step, attempts }, `failed: ${reason.message}`);
    const key = await quarantineObject(deps.s3, { onError: definition.onError, pipeline: definition.name, source: eventSource, reason, attempts });
    return { ...base, source: eventSource, status: 'quarantined', outputs: [], rejected: 0, attempts, durationMs: performance.now() - started, error: reason, quarantineKey: key };
  }
}
