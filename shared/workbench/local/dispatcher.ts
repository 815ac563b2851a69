import { performance } from 'node:perf_hooks';
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

/** An invocation running now: which pipeline, for which objects, since when (performance.now()). */
export interface RunningInvocation {
  pipeline: string;
  /** `bucket/key` of each object it was invoked for. */
  objects: string[];
  startedAt: number;
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
  /** Invocations started and not finished, with the promise that settles when each is. */
  private readonly running = new Map<Promise<unknown>, RunningInvocation>();
  private stopped = false;
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
        const pipeline = compiled.definition.name;
        const invocation = processObjectEvents(compiled, matching, this.deps);
        this.running.set(invocation, { pipeline, objects: matching.map((record) => `${record.bucket}/${record.key}`), startedAt: performance.now() });
        try {
          const results = await invocation;
          for (const result of results) this.listener.onResult?.(result);
          return true;
        } catch (error) {
          this.deps.logger.error({ err: error, pipeline }, 'invocation failed');
          this.listener.onFailure?.({ pipeline, error, event });
          return false;
        } finally {
          this.running.delete(invocation);
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

  /** What is running now, oldest first. */
  inFlight(): RunningInvocation[] {
    return [...this.running.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Invocations queued and not started. */
  get queued(): number {
    return this.queue.size;
  }

  /**
   * Starts nothing more: what is running finishes; what is queued, and what comes after, is never
   * started here, and so stays pending in the notification journal for the next start. Returns how
   * many queued invocations were dropped.
   */
  stop(): number {
    this.stopped = true;
    this.queue.pause();
    const dropped = this.queue.size;
    this.queue.clear();
    return dropped;
  }

  /** Whether anything is queued (while not stopped), running, or about to be delivered. */
  get busy(): boolean {
    return this.pending.size > 0 || this.queue.pending > 0 || (!this.stopped && this.queue.size > 0);
  }

  /** Resolves when nothing is queued, running, or about to be delivered, including chained events; once stopped, when nothing is running. */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.allSettled([...this.pending]);
      if (this.stopped) {
        const running = [...this.running.keys()];
        // An invocation that just ended still counts in the queue until its task returns.
        await (running.length ? Promise.allSettled(running) : new Promise((resolve) => setImmediate(resolve)));
      } else await this.queue.onIdle();
      if (!this.busy) return;
    }
  }
}
