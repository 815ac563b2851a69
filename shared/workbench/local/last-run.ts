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
 */

const ms = z.number().nonnegative();

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

const pipelineRunSpec = z.strictObject({
  pipeline: z.string(),
  trigger: z.enum(['bucket', 'table']),
  /** What an event is: an object for a bucket trigger, a stream record for a table trigger. */
  unit: z.enum(['objects', 'records']),
  invocations: z.int().nonnegative().describe('Invocations measured: one per object, or one per stream batch.'),
  itemsIn: z.int().nonnegative(),
  failedInvocations: z.int().nonnegative(),
  durationMs: durationsSpec.optional().describe('Absent when the pipeline was not invoked.'),
  lambda: z.strictObject({ memorySize: z.int().min(128), timeout: z.int().min(1), architecture: z.enum(LAMBDA_ARCHITECTURES) }),
});

export const lastRunSpec = z.strictObject({
  version: z.literal(1),
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

export function summarizeDurations(durations: readonly number[]): PipelineRun['durationMs'] {
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
    version: 1,
    command: times.command,
    startedAt: times.startedAt.toISOString(),
    finishedAt: times.finishedAt.toISOString(),
    pipelines: stats.flatMap((s) => {
      const pipeline = byName.get(s.pipeline);
      if (!pipeline) return [];
      const durationMs = summarizeDurations(s.invocationMs);
      const { memorySize, timeout, architecture } = functionSettings(pipeline);
      return [
        {
          pipeline: s.pipeline,
          trigger: isBucketTrigger(pipeline.on) ? 'bucket' : 'table',
          unit: s.unit,
          invocations: s.invocationMs.length,
          itemsIn: s.itemsIn,
          failedInvocations: s.failedInvocations,
          ...(durationMs ? { durationMs } : {}),
          lambda: { memorySize, timeout, architecture },
        },
      ];
    }),
  };
}

/**
 * Written whole or not at all: a reader never sees half a file. A run that invoked nothing (a
 * `sluice dev` session nobody wrote to) leaves the previous record in place, as it measured nothing.
 */
export function writeLastRun(dataDir: string, run: LastRun): boolean {
  if (!run.pipelines.some((pipeline) => pipeline.invocations > 0)) return false;
  const file = lastRunFile(dataDir);
  mkdirSync(join(dataDir, 'runs'), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(run, null, 2)}\n`);
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
