import { join } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { performance } from 'node:perf_hooks';
import type { HandlerRegistry } from '../../engine/registry.ts';
import type { Logger } from '../../contract/logger.ts';
import { UsageError } from '../../contract/errors.ts';
import { secretHints } from '../checks/secrets.ts';
import { loadProject } from '../project/load-project.ts';
import { findProjectRoot } from '../project/project-handlers.ts';
import { RESOURCES_FILE, undeclaredBucket, undeclaredTable } from '../../engine/pipeline/resources.ts';
import type { Resources } from '../../engine/pipeline/resources.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';
import { compilePipeline } from '../../engine/runtime/compile.ts';
import type { CompiledPipeline } from '../../engine/runtime/compile.ts';
import { handlePipelineEvent } from '../../engine/runtime/handle-event.ts';
import type { InvocationResult } from '../../engine/runtime/handle-event.ts';
import { handleStreamEvent } from '../../engine/runtime/handle-stream-event.ts';
import type { StreamBatchResult } from '../../engine/runtime/handle-stream-event.ts';
import type { ObjectResult, RunDeps } from '../../engine/runtime/process-object.ts';
import { quarantineStreamBatch } from '../../engine/runtime/quarantine-records.ts';
import { CheckpointStore } from './checkpoints.ts';
import { Dispatcher } from './dispatcher.ts';
import { removeEndpoints, writeEndpoints } from './endpoints-file.ts';
import type { DispatchFailure } from './dispatcher.ts';
import type { EmbeddedDynamoDB } from '../embedded-dynamodb/server.ts';
import { startEmbeddedDynamoDB } from '../embedded-dynamodb/server.ts';
import { bridgeNotifications } from '../embedded-s3/notification-bridge.ts';
import { NotificationJournal } from '../embedded-s3/notification-journal.ts';
import type { ObjectNotice } from '../embedded-s3/notification-journal.ts';
import type { PutSpec } from './put-files.ts';
import { putFiles } from './put-files.ts';
import type { PutItemsSpec } from './put-items.ts';
import { putItems } from './put-items.ts';
import type { PendingWork, WorkInFlight } from './pending-work.ts';
import { objectsByPipeline } from './pending-work.ts';
import { formatReport } from './report.ts';
import { RunStats } from './run-stats.ts';
import type { EmbeddedS3 } from '../embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../embedded-s3/s3-server.ts';
import { StreamMapping } from './stream-mapping.ts';

/** The object events not yet delivered to every pipeline they trigger, under the data folder. */
export const NOTIFICATION_JOURNAL = 'notifications.log';

export interface LocalRuntimeOptions {
  dataDir: string;
  pipelinesDir: string;
  logger: Logger;
  s3Port?: number;
  dynamodbPort?: number;
  /** Invocations running at once (as Lambda's reserved concurrency). */
  concurrency?: number;
  registry?: HandlerRegistry;
  /** First delay between retries of a failed stream batch; tests shorten it. */
  streamRetryDelayMs?: number;
  onResult?(result: ObjectResult): void;
  onBatch?(result: StreamBatchResult): void;
  /** An invocation that failed outright (not even its quarantine could be written). */
  onFailure?(failure: DispatchFailure): void;
}

export interface LocalRuntime {
  s3: EmbeddedS3;
  dynamodb: EmbeddedDynamoDB;
  pipelines: Pipeline[];
  resources: Resources;
  stats: RunStats;
  put(spec: PutSpec): Promise<{ bucket: string; key: string }[]>;
  /** Writes items to a declared table; returns how many. */
  putItems(spec: PutItemsSpec): Promise<number>;
  /**
   * Invokes one pipeline with an event as Lambda delivers it (S3 or DynamoDB stream), as its
   * function would be: the object results, or the batch's.
   */
  invoke(pipeline: string, event: unknown): Promise<InvocationResult>;
  /** Resolves when every triggered pipeline, including chains through buckets and tables, has finished (once stopped: what was running). */
  idle(): Promise<void>;
  /** What the last process left pending, found at this start and delivered now. */
  resumed: PendingWork;
  /** What is running now: object invocations and stream batches, oldest first. */
  inFlight(): WorkInFlight[];
  /**
   * Takes no more work: resolves when what is running has finished; what is queued, and every event
   * after, stays pending for the next start, as after a crash.
   */
  stop(): Promise<void>;
  /** What is left for the next start: object events not done with, stream records not acknowledged. */
  pending(): PendingWork;
  report(): string;
  close(): Promise<void>;
}

/** One event source mapping per table-triggered pipeline, invoking it as Lambda would. */
function startStreamMappings(compiled: readonly CompiledPipeline[], dynamodb: EmbeddedDynamoDB, deps: RunDeps, stats: RunStats, options: LocalRuntimeOptions, hint: (pipeline: string, message: string) => string): StreamMapping[] {
  const checkpoints = new CheckpointStore(join(options.dataDir, 'streams', 'checkpoints.json'));
  const mappings: StreamMapping[] = [];
  for (const pipeline of compiled) {
    const { definition } = pipeline;
    if (isBucketTrigger(definition.on)) continue;
    const table = definition.on.table;
    const stream = dynamodb.streams.get(table);
    if (!stream) throw new Error(`table ${table} has no stream (the project checks should have said so)`);
    const mapping = new StreamMapping({
      pipeline: definition.name,
      trigger: definition.on,
      stream,
      checkpoints,
      logger: deps.logger,
      ...(options.streamRetryDelayMs !== undefined ? { retryDelayMs: options.streamRetryDelayMs } : {}),
      async invoke(event) {
        try {
          const result = await handleStreamEvent(pipeline, event, deps);
          if (result.quarantined) result.quarantined.error.message = hint(definition.name, result.quarantined.error.message);
          stats.recordBatch(result);
          options.onBatch?.(result);
          return { batchItemFailures: result.batchItemFailures };
        } catch (error) {
          stats.recordRetry(definition.name);
          throw error;
        }
      },
      async onFailure(failure) {
        const key = await quarantineStreamBatch(deps.s3, definition.onError, {
          pipeline: definition.name,
          table,
          reason: { code: failure.attempts ? 'RETRIES_EXHAUSTED' : 'RECORD_TOO_OLD', message: failure.reason },
          attempts: failure.attempts,
          records: failure.records,
        });
        stats.recordDiscarded(definition.name, failure.records.length, key, failure.reason);
      },
    });
    mappings.push(mapping);
  }
  for (const mapping of mappings) mapping.start();
  return mappings;
}

/**
 * The embedded default: loads and checks the project, starts the S3- and DynamoDB-compatible
 * servers on 127.0.0.1 with the declared buckets and tables, invokes pipelines for every object
 * event as S3 and Lambda would, and delivers every table change to the pipelines its stream
 * triggers as Lambda's event source mappings would.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const started = performance.now();
  // Without a registry: the built-in handlers and the project's own (handlers/, module steps).
  const { pipelines, resources } = await loadProject(options.pipelinesDir, options.registry);
  const compiled = pipelines.map((pipeline) => compilePipeline(pipeline));
  const journal = new NotificationJournal(join(options.dataDir, NOTIFICATION_JOURNAL));
  let s3: EmbeddedS3;
  try {
    s3 = await startEmbeddedS3({ dataDir: options.dataDir, buckets: Object.keys(resources.buckets), journal, logger: options.logger, ...(options.s3Port !== undefined ? { port: options.s3Port } : {}) });
  } catch (error) {
    journal.close();
    throw error;
  }
  let dynamodb: EmbeddedDynamoDB;
  try {
    dynamodb = await startEmbeddedDynamoDB({ dataDir: options.dataDir, tables: resources.tables, ...(options.dynamodbPort !== undefined ? { port: options.dynamodbPort } : {}) });
  } catch (error) {
    await s3.close();
    journal.close();
    throw error;
  }
  const stats = new RunStats(pipelines.map((p) => ({ name: p.name, unit: isBucketTrigger(p.on) ? 'objects' : 'records', writesTable: !isBucketOutput(p.to) })));
  const deps: RunDeps = { s3: s3.client, dynamodb: dynamodb.client, logger: options.logger };
  // A quarantine for want of a secret says how to set it for a local run.
  const hint = secretHints(pipelines, findProjectRoot(options.pipelinesDir));
  const dispatcher = new Dispatcher(compiled, deps, {
    concurrency: options.concurrency ?? 4,
    listener: {
      onResult(result) {
        if (result.error) result.error.message = hint(result.pipeline, result.error.message);
        stats.record(result);
        options.onResult?.(result);
      },
      onFailure(failure) {
        stats.recordFailure(failure);
        options.onFailure?.(failure);
      },
    },
  });
  const left = journal.recovered();
  bridgeNotifications(s3, { deliver: (event, onDone) => dispatcher.deliver(event, onDone), track: (work) => dispatcher.track(work), logger: options.logger, journal });
  const mappings = startStreamMappings(compiled, dynamodb, deps, stats, options, hint);
  const pendingWork = (notices: readonly ObjectNotice[], interruptedWrites: number): PendingWork => {
    const objects = objectsByPipeline(notices, pipelines);
    return {
      objectEvents: notices.length,
      interruptedWrites,
      pipelines: [
        ...pipelines.filter((p) => objects.has(p.name)).map((p) => ({ pipeline: p.name, unit: 'objects' as const, count: objects.get(p.name)! })),
        ...mappings.map((mapping) => ({ pipeline: mapping.pipeline, unit: 'records' as const, table: mapping.table, count: mapping.unacknowledged() })),
      ],
    };
  };
  // Counted before anything is acknowledged: the mappings have only just started.
  const resumed = pendingWork(left.notices.map(({ notice }) => notice), left.intents.length);
  writeEndpoints(options.dataDir, { s3: s3.endpoint, dynamodb: dynamodb.endpoint });
  const stepNames = new Map(pipelines.map((p) => [p.name, p.steps.map((s) => s.handler)]));

  const idle = async () => {
    // A bucket pipeline may write to a table whose stream starts another pipeline, and back: wait until both sides are quiet at once.
    for (;;) {
      await dispatcher.idle();
      await Promise.all(mappings.map((mapping) => mapping.idle()));
      if (!dispatcher.busy && !mappings.some((mapping) => mapping.busy)) return;
    }
  };

  return {
    s3,
    dynamodb,
    pipelines,
    resources,
    stats,
    async put(spec) {
      const problem = undeclaredBucket(spec.bucket, resources, join(options.pipelinesDir, RESOURCES_FILE));
      if (problem) throw new UsageError(`--put: ${problem}`);
      return putFiles(s3.client, spec);
    },
    async putItems(spec) {
      const declaration = resources.tables[spec.table];
      if (!declaration) throw new UsageError(`--put-items: ${undeclaredTable(spec.table, resources, join(options.pipelinesDir, RESOURCES_FILE))}`);
      return putItems(dynamodb.client, spec, declaration);
    },
    async invoke(name, event) {
      const pipeline = compiled.find((candidate) => candidate.definition.name === name);
      if (!pipeline) {
        const names = pipelines.map((p) => p.name);
        throw new UsageError(`no pipeline named "${name}"${names.length ? ` (did you mean "${closest(name, names)}"?); pipelines: ${names.join(', ')}` : ''}`);
      }
      const result = await handlePipelineEvent(pipeline, event, deps);
      if (result.trigger === 'table') stats.recordBatch(result.batch);
      else for (const object of result.objects) stats.record(object);
      return result;
    },
    idle,
    resumed,
    inFlight() {
      const objects = dispatcher.inFlight().map((run) => ({ pipeline: run.pipeline, what: run.objects.join(', '), startedAt: run.startedAt }));
      const batches = mappings.flatMap((mapping) => {
        const batch = mapping.delivering;
        return batch ? [{ pipeline: batch.pipeline, what: `${batch.records} record(s) of the ${batch.table} stream`, startedAt: batch.startedAt }] : [];
      });
      return [...objects, ...batches].sort((a, b) => a.startedAt - b.startedAt);
    },
    async stop() {
      dispatcher.stop();
      await Promise.all(mappings.map((mapping) => mapping.stop()));
      await dispatcher.idle();
    },
    pending: () => pendingWork(journal.pendingNotices(), 0),
    report: () => formatReport(stats.all(), performance.now() - started, stepNames),
    async close() {
      // Batches in flight finish; what is not delivered yet stays in the stream for the next start.
      await Promise.all(mappings.map((mapping) => mapping.stop()));
      await dispatcher.idle();
      removeEndpoints(options.dataDir);
      await dynamodb.close();
      await s3.close();
      journal.close();
    },
  };
}
