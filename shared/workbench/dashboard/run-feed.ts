import { decodeS3EventKey } from '../../../events/s3/key-encoding.ts';
import { countOutputs } from '../../engine/runtime/bucket-output.ts';
import type { StreamBatchResult } from '../../engine/runtime/handle-stream-event.ts';
import type { ObjectResult } from '../../engine/runtime/process-object.ts';
import { failureReason } from '../../engine/runtime/quarantine.ts';
import type { DispatchFailure } from '../local/dispatcher.ts';
import type { PipelineStats } from '../local/run-stats.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import type { OutputView, PipelineTotals, RunEvent, RunView, StepView } from './api-types.ts';

/** Runs kept for a page that opens later; older ones are in the totals only. */
const KEPT_RUNS = 200;
/** A stream batch can write thousands of items: a run shows the first ones and the count. */
const SHOWN_OUTPUTS = 20;

function outputsOf(outputs: readonly OutputView[]): OutputView[] {
  return outputs.slice(0, SHOWN_OUTPUTS).map(({ bucket, key, table, items, size, contentType }) => ({
    ...(bucket !== undefined ? { bucket } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(table !== undefined ? { table } : {}),
    ...(items !== undefined ? { items } : {}),
    size,
    ...(contentType ? { contentType } : {}),
  }));
}

function stepsOf(names: readonly string[], stepMs: readonly number[], summaries: readonly { step: string; summary: StepView['counts'] }[] = []): StepView[] {
  return names.map((name, index) => {
    const counts = summaries.find((summary) => summary.step === name)?.summary;
    return { name, ms: stepMs[index] ?? 0, ...(counts ? { counts } : {}) };
  });
}

/**
 * What `sluice dev` did, as the dashboard shows it: every invocation as it finishes, kept for pages
 * opened later and sent to the pages open now, with the totals per pipeline after it.
 */
export class RunFeed {
  private readonly runs: RunView[] = [];
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private nextId = 1;
  private stepNames: ReadonlyMap<string, readonly string[]> = new Map();
  private stats: () => readonly PipelineStats[] = () => [];

  /**
   * The project's pipelines and the runtime's counts. Created before the runtime (its callbacks
   * feed this), attached once it has started: a stream batch delivered while it starts is kept
   * with its steps numbered rather than named.
   */
  attach(pipelines: readonly Pipeline[], stats: () => readonly PipelineStats[]): void {
    this.stepNames = new Map(pipelines.map((p) => [p.name, p.steps.map((step) => step.handler)]));
    this.stats = stats;
  }

  private steps(pipeline: string, stepMs: readonly number[], summaries?: readonly { step: string; summary: StepView['counts'] }[]): StepView[] {
    const names = this.stepNames.get(pipeline) ?? stepMs.map((_, index) => `step ${index + 1}`);
    return stepsOf(names, stepMs, summaries);
  }

  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recent(): RunView[] {
    return [...this.runs];
  }

  totals(): PipelineTotals[] {
    return this.stats().map((s) => ({
      pipeline: s.pipeline,
      unit: s.unit,
      itemsIn: s.itemsIn,
      processed: s.processed,
      outputs: s.outputs,
      outputBytes: s.outputBytes,
      quarantined: s.quarantined,
      rejected: s.rejected,
      skipped: s.skipped,
      failed: s.failedInvocations,
      busyMs: s.busyMs,
      steps: this.steps(s.pipeline, s.stepMs, [...s.summaries].map(([step, summary]) => ({ step, summary }))),
    }));
  }

  private add(run: Omit<RunView, 'id' | 'time'>): void {
    const view: RunView = { id: this.nextId++, time: new Date().toISOString(), ...run };
    this.runs.unshift(view);
    this.runs.length = Math.min(this.runs.length, KEPT_RUNS);
    const event = { run: view, totals: this.totals() };
    for (const listener of this.listeners) listener(event);
  }

  object(result: ObjectResult): void {
    this.add({
      pipeline: result.pipeline,
      trigger: 'bucket',
      source: `${result.source.bucket}/${result.source.key}`,
      status: result.status,
      items: 1,
      outputs: outputsOf(result.outputs),
      outputCount: countOutputs(result.outputs),
      rejected: result.rejected,
      durationMs: result.durationMs,
      steps: this.steps(result.pipeline, result.stepMs, result.summaries),
      ...(result.error ? { error: result.error } : {}),
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.quarantineKey ? { quarantineKey: result.quarantineKey } : result.rejectedKey ? { quarantineKey: result.rejectedKey } : {}),
    });
  }

  batch(result: StreamBatchResult): void {
    this.add({
      pipeline: result.pipeline,
      trigger: 'table',
      source: `${result.table} stream`,
      status: result.quarantined ? 'quarantined' : result.batchItemFailures.length ? 'retrying' : 'processed',
      items: result.records,
      outputs: outputsOf(result.outputs),
      outputCount: countOutputs(result.outputs),
      rejected: result.rejected,
      durationMs: result.durationMs,
      steps: this.steps(result.pipeline, result.stepMs),
      ...(result.quarantined ? { error: result.quarantined.error, quarantineKey: result.quarantined.key } : {}),
    });
  }

  failure(failure: DispatchFailure): void {
    const record = failure.event.Records[0];
    this.add({
      pipeline: failure.pipeline,
      trigger: 'bucket',
      source: record ? `${record.s3.bucket.name}/${decodeS3EventKey(record.s3.object.key)}` : '(unknown)',
      status: 'failed',
      items: failure.event.Records.length,
      outputs: [],
      outputCount: 0,
      rejected: 0,
      durationMs: 0,
      steps: [],
      error: failureReason(failure.error),
    });
  }
}
