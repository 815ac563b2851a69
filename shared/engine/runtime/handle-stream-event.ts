import { performance } from 'node:perf_hooks';
import { normalizeDynamoDBStreamEvent } from '../../../events/dynamodb/normalize.ts';
import type { TableChange } from '../../contract/table-change.ts';
import type { ChangeItem, Item, StepContext } from '../../contract/handler.ts';
import { isBucketTrigger } from '../pipeline/schema.ts';
import type { OutputRef } from './bucket-output.ts';
import { countOutputs } from './bucket-output.ts';
import type { CompiledPipeline } from './compile.ts';
import { createOutputSink } from './output-sink.ts';
import type { RunDeps } from './process-object.ts';
import type { FailureReason } from './quarantine.ts';
import { failureReason } from './quarantine.ts';
import type { StreamRecordLike } from './quarantine-records.ts';
import { quarantineRejectedChange, quarantineStreamBatch } from './quarantine-records.ts';
import { isTransient } from './retry.ts';
import type { Rejection } from './run-steps.ts';
import { runSteps } from './run-steps.ts';

/** Lambda's partial batch response: the batch is retried from the lowest sequence number listed. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface StreamBatchResult extends BatchResponse {
  pipeline: string;
  table: string;
  /** Records before the lowest failed one: done with; the rest are delivered again. */
  acknowledged: number;
  records: number;
  rejected: number;
  /** Where each rejected record was quarantined, and why. */
  rejections: { key: string; reason: string }[];
  outputs: OutputRef[];
  /** The whole batch went to quarantine (a permanent error): acknowledged, not retried. */
  quarantined?: { key: string; error: FailureReason };
  durationMs: number;
  stepMs: number[];
}

/** Where a change came from, as the table output's exactly-once bookkeeping recognises it. */
function changeOrigin(change: TableChange, table: string): ChangeItem['origin'] {
  return { source: change.streamArn ?? `table/${table}/stream`, position: change.sequenceNumber };
}

async function* changeItems(changes: readonly TableChange[], table: string): AsyncIterable<Item> {
  for (const change of changes) yield { kind: 'change', change, origin: changeOrigin(change, table) };
}

/**
 * The one entry for a DynamoDB stream batch as Lambda delivers it, used by the Lambda function and
 * the local event source mapping alike: the changes go through the steps, the outputs are written,
 * records a step rejects are quarantined one by one. Items the output could not write are reported
 * as `batchItemFailures`, so only they and what follows them are delivered again. A transient
 * failure of the whole batch throws (a function error: retried, bisected if configured); a
 * permanent one quarantines the batch with its reason and acknowledges it.
 */
export async function handleStreamEvent(compiled: CompiledPipeline, event: unknown, deps: RunDeps): Promise<StreamBatchResult> {
  const { definition } = compiled;
  if (isBucketTrigger(definition.on)) throw new Error(`pipeline ${definition.name} is triggered by a bucket, not a table stream`);
  const table = definition.on.table;
  const started = performance.now();
  const stepMs: number[] = [];
  const records = ((event as { Records?: unknown })?.Records ?? []) as StreamRecordLike[];
  const logger = deps.logger.child({ pipeline: definition.name, table, records: Array.isArray(records) ? records.length : 0 });
  const base = { pipeline: definition.name, table, records: Array.isArray(records) ? records.length : 0, stepMs };
  const rejections: Rejection[] = [];
  try {
    const changes = normalizeDynamoDBStreamEvent(event);
    const ctx: StepContext = { pipeline: definition.name, table, logger };
    const sink = createOutputSink(definition, deps);
    for await (const item of runSteps(compiled.steps, changeItems(changes, table), ctx, stepMs, { onRejected: (rejection) => void rejections.push(rejection) })) await sink.write(item);
    const { outputs, failed } = await sink.finish();
    const bySequence = new Map(changes.map((change, index) => [change.sequenceNumber, records[index]]));
    const quarantinedRejections: StreamBatchResult['rejections'] = [];
    for (const rejection of rejections) {
      const key = await quarantineRejectedChange(deps.s3, definition.onError, { pipeline: definition.name, table, rejection, record: bySequence.get(rejection.item.origin.position) });
      const reason = rejection.item.reasons.map((r) => (r.field ? `${r.field}: ${r.message}` : r.message)).join('; ');
      quarantinedRejections.push({ key: `${definition.onError.quarantine.bucket}/${key}`, reason: `step ${rejection.step}: ${reason}` });
    }
    // An output that can never be written (an item over 400 KB, a number over 38 digits) takes its
    // records to quarantine with the reason; retrying them would block the shard forever.
    const permanent = failed.filter((failure) => !isTransient(failure.error));
    for (const failure of permanent) {
      const positions = new Set(failure.origins.map((origin) => origin.position));
      const reason = failureReason(failure.error);
      logger.warn({ code: reason.code }, `an output cannot be written; its records are quarantined: ${reason.message}`);
      await quarantineStreamBatch(deps.s3, definition.onError, { pipeline: definition.name, table, reason, records: changes.flatMap((change, index) => (positions.has(change.sequenceNumber) ? [records[index]!] : [])) });
    }
    const transient = failed.filter((failure) => isTransient(failure.error));
    const failedSequences = [...new Set(transient.flatMap((failure) => failure.origins.map((origin) => origin.position)))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    for (const failure of transient) logger.warn({ err: failure.error }, 'an output could not be written; its records will be delivered again');
    if (rejections.length) logger.warn({ rejected: rejections.length }, 'records rejected; quarantined');
    logger.info({ outputs: countOutputs(outputs), failed: failedSequences.length }, 'batch processed');
    const lowestFailed = failedSequences.length ? changes.findIndex((change) => change.sequenceNumber === failedSequences[0]) : -1;
    const acknowledged = lowestFailed === -1 ? base.records : lowestFailed;
    return { ...base, acknowledged, rejected: rejections.length, rejections: quarantinedRejections, outputs, batchItemFailures: failedSequences.map((itemIdentifier) => ({ itemIdentifier })), durationMs: performance.now() - started };
  } catch (error) {
    if (isTransient(error)) throw error;
    const reason = failureReason(error);
    logger.warn({ code: reason.code, step: reason.step }, `batch failed: ${reason.message}`);
    const key = await quarantineStreamBatch(deps.s3, definition.onError, { pipeline: definition.name, table, reason, records: Array.isArray(records) ? records : [] });
    return { ...base, acknowledged: base.records, rejected: 0, rejections: [], outputs: [], quarantined: { key, error: reason }, batchItemFailures: [], durationMs: performance.now() - started };
  }
}
