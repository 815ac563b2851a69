import PQueue from 'p-queue';
import type { S3Event } from '../../../events/s3/schema.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { matchesTrigger } from '../../engine/pipeline/trigger.ts';
import type { CompiledPipeline } from '../../engine/runtime/compile.ts';
import { processObjectEvents } from '../../engine/runtime/handle-s3-event.ts';
import type { ObjectResult, RunDeps } from '../../engine/runtime/process-object.ts';

export interface DispatchFailure {
  pipeline: string;
  error: unknown;
  event: S3Event;
}

export interface DispatcherListener {
  onResult?(result: ObjectResult): void;
  /** An invocation that failed outright (its quarantine could not be written). */
  onFailure?(failure: DispatchFailure): void;
}

/**
 * The local stand-in for S3 → Lambda invocation: each event goes to every pipeline whose trigger
 * matches it, as its own invocation, with at most `concurrency` running at once.
 */
export class Dispatcher {
  private readonly queue: PQueue;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly pipelines: readonly CompiledPipeline[];
  private readonly deps: RunDeps;
  private readonly listener: DispatcherListener;

  constructor(pipelines: readonly CompiledPipeline[], deps: RunDeps, options: { concurrency: number; listener?: DispatcherListener }) {
    this.pipelines = pipelines;
    this.deps = deps;
    this.listener = options.listener ?? {};
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  /**
   * Queues an S3 event (Lambda's shape) for every pipeline it triggers; returns how many.
   * `onDone` is called once each of them has finished with it (not when one failed outright: the
   * event stays pending for the next start, as S3 keeps an event Lambda could not take).
   */
  deliver(event: S3Event, onDone?: () => void): number {
    // Normalized once, matched once per pipeline: each pipeline is invoked with the records its trigger takes.
    const records = normalizeS3Event(event);
    const targets = this.pipelines
      .map((compiled) => ({ compiled, matching: records.filter((record) => matchesTrigger(compiled.definition.on, record)) }))
      .filter(({ matching }) => matching.length > 0);
    const runs = targets.map(({ compiled, matching }) =>
      this.queue.add(async () => {
        try {
          const results = await processObjectEvents(compiled, matching, this.deps);
          for (const result of results) this.listener.onResult?.(result);
          return true;
        } catch (error) {
          this.deps.logger.error({ err: error, pipeline: compiled.definition.name }, 'invocation failed');
          this.listener.onFailure?.({ pipeline: compiled.definition.name, error, event });
          return false;
        }
      }),
    );
    if (onDone) void Promise.all(runs).then((finished) => finished.every(Boolean) && onDone());
    return targets.length;
  }

  /** Keeps `idle()` waiting for work that will deliver events later (an event still being completed). */
  track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Whether anything is queued, running, or about to be delivered. */
  get busy(): boolean {
    return this.pending.size > 0 || this.queue.size > 0 || this.queue.pending > 0;
  }

  /** Resolves when nothing is queued, running, or about to be delivered, including chained events. */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.allSettled([...this.pending]);
      await this.queue.onIdle();
      if (this.pending.size === 0 && this.queue.size === 0 && this.queue.pending === 0) return;
    }
  }
}
