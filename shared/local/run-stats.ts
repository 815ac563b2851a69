import type { DispatchFailure } from './dispatcher.ts';
import type { ObjectResult } from '../runtime/process-object.ts';

export interface PipelineStats {
  pipeline: string;
  objectsIn: number;
  processed: number;
  outputs: number;
  outputBytes: number;
  quarantined: number;
  skipped: number;
  failedInvocations: number;
  busyMs: number;
  stepMs: number[];
  quarantineReasons: { key: string; reason: string }[];
}

/** Counts what every pipeline did during a run, for the report. */
export class RunStats {
  private readonly byPipeline = new Map<string, PipelineStats>();

  constructor(pipelines: readonly string[]) {
    for (const name of pipelines) this.entry(name);
  }

  private entry(pipeline: string): PipelineStats {
    let stats = this.byPipeline.get(pipeline);
    if (!stats) {
      stats = { pipeline, objectsIn: 0, processed: 0, outputs: 0, outputBytes: 0, quarantined: 0, skipped: 0, failedInvocations: 0, busyMs: 0, stepMs: [], quarantineReasons: [] };
      this.byPipeline.set(pipeline, stats);
    }
    return stats;
  }

  record(result: ObjectResult): void {
    const stats = this.entry(result.pipeline);
    stats.objectsIn++;
    stats[result.status]++;
    stats.outputs += result.outputs.length;
    stats.outputBytes += result.outputs.reduce((sum, output) => sum + output.size, 0);
    stats.busyMs += result.durationMs;
    result.stepMs.forEach((ms, index) => (stats.stepMs[index] = (stats.stepMs[index] ?? 0) + ms));
    if (result.status === 'quarantined') {
      stats.quarantineReasons.push({ key: `${result.source.bucket}/${result.source.key}`, reason: result.error?.message ?? 'unknown' });
    }
  }

  recordFailure(failure: DispatchFailure): void {
    this.entry(failure.pipeline).failedInvocations++;
  }

  all(): PipelineStats[] {
    return [...this.byPipeline.values()];
  }
}
