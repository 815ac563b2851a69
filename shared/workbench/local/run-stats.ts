import type { DispatchFailure } from './dispatcher.ts';
import { countOutputs } from '../../engine/runtime/bucket-output.ts';
import type { ObjectResult } from '../../engine/runtime/process-object.ts';
import type { StreamBatchResult } from '../../engine/runtime/handle-stream-event.ts';
import type { StepSummary } from '../../contract/handler.ts';

export interface PipelineStats {
  pipeline: string;
  /** What `itemsIn` counts: objects for a bucket trigger, stream records for a table trigger. */
  unit: 'objects' | 'records';
  /** Whether its outputs are table items (no bytes to count) rather than objects. */
  writesTable: boolean;
  itemsIn: number;
  processed: number;
  outputs: number;
  outputBytes: number;
  /** Objects or batches that went to quarantine whole. */
  quarantined: number;
  /** Records a step rejected (quarantined one by one; the rest of their object or batch went on). */
  rejected: number;
  /** Outputs deleted because their source was removed. */
  deleted: number;
  skipped: number;
  /** Batches delivered again after a failure (as Lambda retries them). */
  retriedBatches: number;
  failedInvocations: number;
  busyMs: number;
  /** Each measured invocation's duration, in order (`busyMs` is their sum). */
  invocationMs: number[];
  /** The invocations that did the pipeline's work (an object processed, a stream batch handled): their durations and the objects or records they took, for the cost estimate. */
  work: { ms: number[]; items: number };
  /** Invocations that did not: a version already processed, a removal, a failure quarantined. */
  leftOut: { skipped: number; quarantined: number; removed: number };
  stepMs: number[];
  quarantineReasons: { key: string; reason: string }[];
  /** Rejected records, where each was quarantined and why. */
  rejections: { key: string; reason: string }[];
  /** What steps reported, summed over the run, by step. */
  summaries: Map<string, StepSummary>;
}

/** Adds `summary` into `total`: counts summed, nested counts (by reason) summed key by key. */
function addSummary(total: StepSummary, summary: StepSummary): void {
  for (const [name, value] of Object.entries(summary)) {
    const current = total[name];
    if (typeof value === 'number') total[name] = (typeof current === 'number' ? current : 0) + value;
    else {
      const into: Record<string, number> = typeof current === 'object' ? current : {};
      for (const [key, count] of Object.entries(value)) into[key] = (into[key] ?? 0) + count;
      total[name] = into;
    }
  }
}

/** Counts what every pipeline did during a run, for the report. */
export class RunStats {
  private readonly byPipeline = new Map<string, PipelineStats>();

  constructor(pipelines: readonly { name: string; unit: PipelineStats['unit']; writesTable?: boolean }[]) {
    for (const { name, unit, writesTable } of pipelines) this.entry(name, unit, writesTable);
  }

  private entry(pipeline: string, unit: PipelineStats['unit'] = 'objects', writesTable = false): PipelineStats {
    let stats = this.byPipeline.get(pipeline);
    if (!stats) {
      stats = { pipeline, unit, writesTable, itemsIn: 0, processed: 0, outputs: 0, outputBytes: 0, quarantined: 0, rejected: 0, deleted: 0, skipped: 0, retriedBatches: 0, failedInvocations: 0, busyMs: 0, invocationMs: [], work: { ms: [], items: 0 }, leftOut: { skipped: 0, quarantined: 0, removed: 0 }, stepMs: [], quarantineReasons: [], rejections: [], summaries: new Map() };
      this.byPipeline.set(pipeline, stats);
    }
    return stats;
  }

  private addSteps(stats: PipelineStats, stepMs: readonly number[]): void {
    stepMs.forEach((ms, index) => (stats.stepMs[index] = (stats.stepMs[index] ?? 0) + ms));
  }

  record(result: ObjectResult): void {
    const stats = this.entry(result.pipeline);
    stats.itemsIn++;
    if (result.status === 'deleted') {
      stats.processed++;
      stats.deleted += result.outputs.length;
    } else {
      stats[result.status]++;
      stats.outputs += countOutputs(result.outputs);
      stats.outputBytes += result.outputs.reduce((sum, output) => sum + output.size, 0);
    }
    stats.rejected += result.rejected;
    if (result.rejectedKey) stats.rejections.push({ key: result.rejectedKey, reason: `${result.rejected} record(s) of ${result.source.bucket}/${result.source.key}` });
    for (const { step, summary } of result.summaries ?? []) {
      const total = stats.summaries.get(step) ?? {};
      addSummary(total, summary);
      stats.summaries.set(step, total);
    }
    stats.busyMs += result.durationMs;
    stats.invocationMs.push(result.durationMs);
    if (result.status === 'processed') {
      stats.work.ms.push(result.durationMs);
      stats.work.items++;
    } else stats.leftOut[result.status === 'deleted' ? 'removed' : result.status]++;
    this.addSteps(stats, result.stepMs);
    if (result.status === 'quarantined') {
      stats.quarantineReasons.push({ key: `${result.source.bucket}/${result.source.key}`, reason: result.error?.message ?? 'unknown' });
    }
  }

  /** One invocation of a table-triggered pipeline; records reported as failed come again and are counted then. */
  recordBatch(result: StreamBatchResult): void {
    const stats = this.entry(result.pipeline, 'records');
    // Records from the lowest failed one on come again and are counted then.
    stats.itemsIn += result.acknowledged;
    stats.busyMs += result.durationMs;
    stats.invocationMs.push(result.durationMs);
    this.addSteps(stats, result.stepMs);
    if (result.batchItemFailures.length) stats.retriedBatches++;
    if (result.quarantined) {
      stats.leftOut.quarantined++;
      stats.quarantined++;
      stats.quarantineReasons.push({ key: result.quarantined.key, reason: result.quarantined.error.message });
      return;
    }
    stats.work.ms.push(result.durationMs);
    stats.work.items += result.acknowledged;
    stats.processed += Math.max(0, result.acknowledged - result.rejected);
    stats.rejected += result.rejected;
    stats.rejections.push(...result.rejections);
    stats.outputs += countOutputs(result.outputs);
  }

  /** A batch that failed outright; the mapping delivers it again. */
  recordRetry(pipeline: string): void {
    this.entry(pipeline, 'records').retriedBatches++;
  }

  /** Records the mapping gave up on (retries used up, too old): in the quarantine. */
  recordDiscarded(pipeline: string, records: number, key: string, reason: string): void {
    const stats = this.entry(pipeline, 'records');
    stats.itemsIn += records;
    stats.quarantined++;
    stats.quarantineReasons.push({ key, reason });
  }

  recordFailure(failure: DispatchFailure): void {
    this.entry(failure.pipeline).failedInvocations++;
  }

  all(): PipelineStats[] {
    return [...this.byPipeline.values()];
  }
}
