import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../contract/errors.ts';
import { functionSettings } from '../deploy/function-settings.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { LAMBDA_ARCHITECTURES, isBucketTrigger } from '../../engine/pipeline/schema.ts';
import type { PipelineStats } from './run-stats.ts';

/**
 * What the last `sluice run` (or `sluice dev` session) measured, per pipeline, for `sluice cost`:
 * aggregates only, never one line per invocation, so the file stays small whatever the run.
 *
 * The price rests on the invocations that did a pipeline's work (an object processed, a stream
 * batch handled): those that skipped a version already processed, handled a removal or went to
 * quarantine cost far less than a new event would, and are counted apart. A run that did no such
 * work for a pipeline (`npm start` a second time skips every object) keeps the measurement of the
 * last run that did, saying which.
 */

const ms = z.number().nonnegative();
const count = z.int().nonnegative();

const durationsSpec = z
  .strictObject({
    total: ms.describe('Sum of the invocations\' durations, as measured.'),
    billed: z.int().nonnegative().describe('Sum of the durations each rounded up to the millisecond, as Lambda bills them.'),
    min: ms,
    p50: ms,
    p90: ms,
    p99: ms,
    max: ms,
  })
  .describe('Invocation durations, in milliseconds.');

const measuredBySpec = z.strictObject({ command: z.enum(['run', 'dev']), finishedAt: z.iso.datetime() });

const pricedSpec = z
  .strictObject({
    invocations: z.int().min(1).describe('Invocations that did the pipeline\'s work: an object processed, or a stream batch handled.'),
    itemsIn: count.describe('Objects or stream records those invocations took.'),
    durationMs: durationsSpec,
    from: measuredBySpec.optional().describe('The earlier run these were measured in, when this one did no work for the pipeline.'),
  })
  .describe('What `sluice cost` prices from.');

const pipelineRunSpec = z.strictObject({
  pipeline: z.string(),
  trigger: z.enum(['bucket', 'table']),
  /** What an event is: an object for a bucket trigger, a stream record for a table trigger. */
  unit: z.enum(['objects', 'records']),
  invocations: count.describe('Invocations in this run: one per object, or one per stream batch.'),
  itemsIn: count,
  failedInvocations: count,
  leftOut: z
    .strictObject({
      skipped: count.describe('An object version already processed (or gone): nothing done.'),
      quarantined: count.describe('An object or batch that failed and went to quarantine.'),
      removed: count.describe('A removed object, whose outputs were deleted.'),
    })
    .describe('Invocations of this run not priced: they cost far less than a new event would.'),
  priced: pricedSpec.optional().describe('Absent when neither this run nor an earlier one did work for the pipeline.'),
  lambda: z.strictObject({ memorySize: z.int().min(128), timeout: z.int().min(1), architecture: z.enum(LAMBDA_ARCHITECTURES) }),
});

export const lastRunSpec = z.strictObject({
  version: z.literal(2),
  command: z.enum(['run', 'dev']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  pipelines: z.array(pipelineRunSpec),
});

export type LastRun = z.output<typeof lastRunSpec>;
export type PipelineRun = z.output<typeof pipelineRunSpec>;

export const lastRunFile = (dataDir: string) => join(dataDir, 'runs', 'last.json');

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Nearest rank: the smallest measured value with at least `percent`% of the values at or below it. */
function percentile(sorted: readonly number[], percent: number): number {
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)] ?? 0;
}

export function summarizeDurations(durations: readonly number[]): z.output<typeof durationsSpec> | undefined {
  if (!durations.length) return undefined;
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    total: round(sorted.reduce((sum, value) => sum + value, 0)),
    billed: sorted.reduce((sum, value) => sum + Math.max(1, Math.ceil(value)), 0),
    min: round(sorted[0] ?? 0),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

export interface RunTimes {
  command: LastRun['command'];
  startedAt: Date;
  finishedAt: Date;
}

export function summarizeRun(stats: readonly PipelineStats[], pipelines: readonly Pipeline[], times: RunTimes): LastRun {
  const byName = new Map(pipelines.map((pipeline) => [pipeline.name, pipeline]));
  return {
    version: 2,
    command: times.command,
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
    pipelines: stats.flatMap((s) => {
      const pipeline = byName.get(s.pipeline);
      if (!pipeline) return [];
      const durationMs = summarizeDurations(s.work.ms);
      const { memorySize, timeout, architecture } = functionSettings(pipeline);
      return [
        {
          pipeline: s.pipeline,
          trigger: isBucketTrigger(pipeline.on) ? 'bucket' : 'table',
          unit: s.unit,
          invocations: s.invocationMs.length,
          itemsIn: s.itemsIn,
          failedInvocations: s.failedInvocations,
          leftOut: { ...s.leftOut },
          ...(durationMs ? { priced: { invocations: s.work.ms.length, itemsIn: s.work.items, durationMs } } : {}),
          lambda: { memorySize, timeout, architecture },
        },
      ];
    }),
  };
}

/**
 * `run`, with the measurement of each pipeline it did no work for taken from `earlier` (the
 * record it replaces), if that had one: the last run that did work, and when.
 */
export function keepEarlierWork(run: LastRun, earlier: LastRun | undefined): LastRun {
  if (!earlier) return run;
  const before = new Map(earlier.pipelines.map((pipeline) => [pipeline.pipeline, pipeline]));
  return {
    ...run,
    pipelines: run.pipelines.map((pipeline) => {
      const priced = before.get(pipeline.pipeline)?.priced;
      if (pipeline.priced || !priced) return pipeline;
      return { ...pipeline, priced: { ...priced, from: priced.from ?? { command: earlier.command, finishedAt: earlier.finishedAt } } };
    }),
  };
}

/** The record in `dataDir`, or undefined when there is none this version can read. */
function readEarlier(dataDir: string): LastRun | undefined {
  try {
    return readLastRun(dataDir);
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

/**
 * Written whole or not at all: a reader never sees half a file. A run that invoked nothing (a
 * `sluice dev` session nobody wrote to) leaves the previous record in place, as it measured nothing;
 * a pipeline the run did no work for keeps the previous record's measurement (`keepEarlierWork`).
 */
export function writeLastRun(dataDir: string, run: LastRun): boolean {
  if (!run.pipelines.some((pipeline) => pipeline.invocations > 0)) return false;
  const file = lastRunFile(dataDir);
  const record = keepEarlierWork(run, readEarlier(dataDir));
  mkdirSync(join(dataDir, 'runs'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return true;
}

/** The last run's record; `shown` is how the file is named in messages. */
export function readLastRun(dataDir: string, shown = lastRunFile(dataDir)): LastRun {
  let text: string;
  try {
    text = readFileSync(lastRunFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UsageError(`no measured run in ${shown}: run \`sluice run\` (or \`sluice dev\`) first, with the same --data, then \`sluice cost\``);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = lastRunSpec.safeParse(data);
  if (!parsed.success) throw new UsageError(`${shown} is not a run record this version of Sluice can read: run \`sluice run\` again to measure anew`);
  return parsed.data;
}
