import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HandlerRegistry } from '../handlers/registry.ts';
import { builtInHandlers } from '../handlers/registry.ts';
import type { Logger } from '../log/logger.ts';
import { UsageError } from '../errors.ts';
import { loadProject } from '../pipeline/load.ts';
import { RESOURCES_FILE, undeclaredBucket } from '../pipeline/resources.ts';
import type { Resources } from '../pipeline/resources.ts';
import type { Pipeline } from '../pipeline/schema.ts';
import { compilePipeline } from '../runtime/compile.ts';
import type { ObjectResult } from '../runtime/process-object.ts';
import { Dispatcher } from './dispatcher.ts';
import type { DispatchFailure } from './dispatcher.ts';
import { bridgeNotifications } from './notification-bridge.ts';
import type { PutSpec } from './put-files.ts';
import { putFiles } from './put-files.ts';
import { formatReport } from './report.ts';
import { RunStats } from './run-stats.ts';
import type { EmbeddedS3 } from './s3-server.ts';
import { startEmbeddedS3 } from './s3-server.ts';

export interface LocalRuntimeOptions {
  dataDir: string;
  pipelinesDir: string;
  logger: Logger;
  s3Port?: number;
  /** Invocations running at once (as Lambda's reserved concurrency). */
  concurrency?: number;
  registry?: HandlerRegistry;
  onResult?(result: ObjectResult): void;
  /** An invocation that failed outright (not even its quarantine could be written). */
  onFailure?(failure: DispatchFailure): void;
}

export interface LocalRuntime {
  s3: EmbeddedS3;
  pipelines: Pipeline[];
  resources: Resources;
  stats: RunStats;
  put(spec: PutSpec): Promise<{ bucket: string; key: string }[]>;
  /** Resolves when every triggered pipeline, including chains through buckets, has finished. */
  idle(): Promise<void>;
  report(): string;
  close(): Promise<void>;
}


/**
 * The embedded default: loads and checks the project, starts the S3-compatible server on
 * 127.0.0.1 with the declared buckets, and invokes pipelines for every object event, as S3 and Lambda would.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const started = performance.now();
  const registry = options.registry ?? builtInHandlers;
  const { pipelines, resources } = await loadProject(options.pipelinesDir, registry);
  const buckets = Object.keys(resources.buckets);
  const compiled = pipelines.map((pipeline) => compilePipeline(pipeline, registry));
  const s3 = await startEmbeddedS3({ dataDir: options.dataDir, buckets, ...(options.s3Port !== undefined ? { port: options.s3Port } : {}) });
  const stats = new RunStats(pipelines.map((p) => p.name));
  const dispatcher = new Dispatcher(compiled, { s3: s3.client, logger: options.logger }, {
    concurrency: options.concurrency ?? 4,
    listener: {
      onResult(result) {
        stats.record(result);
        options.onResult?.(result);
      },
      onFailure(failure) {
        stats.recordFailure(failure);
        options.onFailure?.(failure);
      },
    },
  });
  bridgeNotifications(s3, { deliver: (event) => dispatcher.deliver(event), track: (work) => dispatcher.track(work), logger: options.logger });
  const stepNames = new Map(pipelines.map((p) => [p.name, p.steps.map((s) => s.handler)]));

  return {
    s3,
    pipelines,
    resources,
    stats,
    async put(spec) {
      const problem = undeclaredBucket(spec.bucket, resources, join(options.pipelinesDir, RESOURCES_FILE));
      if (problem) throw new UsageError(`--put: ${problem}`);
      return putFiles(s3.client, spec);
    },
    idle: () => dispatcher.idle(),
    report: () => formatReport(stats.all(), performance.now() - started, stepNames),
    async close() {
      await dispatcher.idle();
      await s3.close();
    },
  };
}
