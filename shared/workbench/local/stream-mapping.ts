import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../contract/logger.ts';
import { matchesAnyFilter } from '../../engine/pipeline/filter-pattern.ts';
import type { TableTrigger } from '../../engine/pipeline/schema.ts';
import type { BatchResponse } from '../../engine/runtime/handle-stream-event.ts';
import type { CheckpointStore } from './checkpoints.ts';
import { CheckpointStore as Checkpoints } from './checkpoints.ts';
import type { DeliveredStreamRecord, TableStream } from '../embedded-dynamodb/server.ts';

/** Records read from the log at a time while looking for a batch (filters may skip many). */
const READ_CHUNK = 1000;
/** How often a batching window looks for a full batch. */
const WINDOW_POLL_MS = 50;

export interface MappingFailure {
  records: DeliveredStreamRecord[];
  reason: string;
  attempts: number;
  error?: unknown;
}

export interface StreamMappingOptions {
  pipeline: string;
  trigger: TableTrigger;
  stream: TableStream;
  checkpoints: CheckpointStore;
  /** The function, as Lambda invokes it: a Lambda-shaped event in, a partial batch response out. */
  invoke(event: { Records: DeliveredStreamRecord[] }): Promise<BatchResponse>;
  /** The on-failure destination: records whose retries are used up, or that are too old. */
  onFailure(failure: MappingFailure): Promise<void>;
  logger: Logger;
  /** First delay between retries of a failed batch (doubles, up to 30 s); tests shorten it. */
  retryDelayMs?: number;
  now?(): number;
}

interface Batch {
  /** The records to deliver, in order. */
  records: DeliveredStreamRecord[];
  /** Every record looked at, delivered or skipped by a filter, in order. */
  considered: DeliveredStreamRecord[];
  /** Records past `maxRecordAge`: discarded to the on-failure destination, never delivered. */
  expired: DeliveredStreamRecord[];
}

const sequenceOf = (record: DeliveredStreamRecord) => record.dynamodb.SequenceNumber;

/**
 * Lambda's event source mapping for one DynamoDB stream and one pipeline, run locally: it reads
 * the shard in order from the last checkpoint, skips records no filter matches, gathers batches
 * (batch size, batching window), invokes, and acts on the outcome as Lambda does: success moves
 * the checkpoint past the batch; a partial batch response moves it to just before the lowest
 * failed record; a function error retries the batch (halved first with `bisectOnError`); when
 * `retries` are used up, or records are older than `maxRecordAge`, they go to the on-failure
 * destination and the mapping moves on. One batch at a time, so records of an item stay in order.
 */
export class StreamMapping {
  private readonly key: string;
  private running = false;
  private again = false;
  private stopped = false;
  private attempts = 0;
  /** Sizes still owed to the halves of a bisected batch, the next one last. */
  private readonly splits: number[] = [];
  private limit: number;
  private readonly waiters = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private lastError: unknown;
  private readonly stopping = new AbortController();
  /** When the batching window of the batch being gathered opened. */
  private windowOpenedAt: number | undefined;
  /** The batch being delivered now: its records, and since when (performance.now()). */
  private current: { records: number; startedAt: number } | undefined;
  private readonly options: StreamMappingOptions;

  constructor(options: StreamMappingOptions) {
    this.options = options;
    this.key = Checkpoints.key(options.pipeline, options.stream.streamArn, options.stream.shardId);
    this.limit = options.trigger.batchSize;
  }

  /** Creates the checkpoint of a new mapping (`LATEST`: the stream's end now), then delivers what is waiting and what comes. */
  start(): void {
    const { checkpoints, stream, trigger } = this.options;
    if (checkpoints.get(this.key) === undefined) {
      checkpoints.set(this.key, trigger.startingPosition === 'LATEST' ? (stream.latestSequenceNumber() ?? '') : '');
    }
    this.unsubscribe = stream.onAppend(() => this.wake());
    this.wake();
  }

  private get checkpoint(): string | undefined {
    return this.options.checkpoints.get(this.key) || undefined;
  }

  private acknowledge(record: DeliveredStreamRecord | undefined): void {
    if (record) this.options.checkpoints.set(this.key, sequenceOf(record));
  }

  /** Nothing delivered but not acknowledged, nothing running: every record so far is done with. */
  private get caughtUp(): boolean {
    const latest = this.options.stream.latestSequenceNumber();
    const checkpoint = this.checkpoint;
    return !this.running && (latest === undefined || (checkpoint !== undefined && BigInt(checkpoint) >= BigInt(latest)));
  }

  /** Resolves when every record written so far has been delivered and acknowledged (or sent to the on-failure destination). */
  idle(): Promise<void> {
    if (this.caughtUp || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** Whether records are still to be delivered. */
  get busy(): boolean {
    return !this.caughtUp && !this.stopped;
  }

  get pipeline(): string {
    return this.options.pipeline;
  }

  /** The table whose stream this mapping reads. */
  get table(): string {
    return this.options.stream.table;
  }

  /** The batch being delivered now, if one is. */
  get delivering(): { pipeline: string; table: string; records: number; startedAt: number } | undefined {
    return this.current && { pipeline: this.options.pipeline, table: this.options.stream.table, ...this.current };
  }

  /** Records written to the stream and not yet acknowledged (delivered, skipped by a filter, or sent to the on-failure destination). */
  unacknowledged(): number {
    let count = 0;
    let after = this.checkpoint;
    for (;;) {
      const chunk = this.options.stream.read(after, READ_CHUNK);
      count += chunk.length;
      if (chunk.length < READ_CHUNK) return count;
      after = sequenceOf(chunk[chunk.length - 1]!);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // A batching window or a retry's backoff ends now; a batch being delivered finishes.
    this.stopping.abort();
    this.unsubscribe?.();
    while (this.running) await sleep(10);
    this.notify();
  }

  /** Waits, unless the mapping is being stopped. */
  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private notify(): void {
    if (!this.caughtUp && !this.stopped) return;
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  private wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pump()
      .catch((error: unknown) => this.options.logger.error({ err: error, pipeline: this.options.pipeline }, 'stream delivery stopped'))
      .finally(() => {
        this.running = false;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        } else {
          this.notify();
        }
      });
  }

  private nextBatch(): Batch {
    const { stream, trigger } = this.options;
    const now = this.options.now?.() ?? Date.now();
    const batch: Batch = { records: [], considered: [], expired: [] };
    let after = this.checkpoint;
    for (;;) {
      const chunk = stream.read(after, READ_CHUNK);
      for (const record of chunk) {
        const ageSeconds = now / 1000 - record.dynamodb.ApproximateCreationDateTime;
        batch.considered.push(record);
        if (trigger.maxRecordAge !== -1 && ageSeconds > trigger.maxRecordAge) batch.expired.push(record);
        else if (trigger.filters.length === 0 || matchesAnyFilter(trigger.filters, record)) batch.records.push(record);
        if (batch.records.length >= this.limit) return batch;
      }
      if (chunk.length < READ_CHUNK) return batch;
      after = sequenceOf(chunk[chunk.length - 1]!);
    }
  }

  private async pump(): Promise<void> {
    const { trigger } = this.options;
    while (!this.stopped) {
      const batch = this.nextBatch();
      if (!batch.considered.length) return;
      if (batch.expired.length) {
        await this.options.onFailure({ records: batch.expired, reason: `older than maxRecordAge (${trigger.maxRecordAge} s)`, attempts: 0 });
        // Records age in order, so the expired ones come first: acknowledge through them and read on.
        const lastExpired = batch.considered.indexOf(batch.expired[batch.expired.length - 1]!);
        const firstDelivered = batch.records.length ? batch.considered.indexOf(batch.records[0]!) : Infinity;
        if (lastExpired < firstDelivered) {
          this.acknowledge(batch.considered[lastExpired]);
          continue;
        }
      }
      if (!batch.records.length) {
        // Nothing matched a filter: skipped records are acknowledged without an invocation.
        this.acknowledge(batch.considered[batch.considered.length - 1]);
        continue;
      }
      // The batching window: gather records until the batch is full or the window, opened when
      // the first of them was seen, has passed.
      if (trigger.batchingWindow > 0 && batch.records.length < this.limit) {
        this.windowOpenedAt ??= Date.now();
        const remaining = trigger.batchingWindow * 1000 - (Date.now() - this.windowOpenedAt);
        if (remaining > 0) {
          await this.pause(Math.min(remaining, WINDOW_POLL_MS));
          continue;
        }
      }
      this.windowOpenedAt = undefined;
      await this.deliver(batch);
    }
  }

  private async deliver(batch: Batch): Promise<void> {
    const { records, considered } = batch;
    const last = records[records.length - 1]!;
    // Records skipped by filters after the last delivered one wait for the next batch.
    const upTo = considered.slice(0, considered.indexOf(last) + 1);
    let failedAt: number | undefined;
    this.current = { records: records.length, startedAt: performance.now() };
    try {
      const response = await this.options.invoke({ Records: records });
      failedAt = this.firstFailure(response, records);
      if (failedAt === undefined) {
        this.succeeded(upTo[upTo.length - 1]);
        return;
      }
      // Acknowledge what came before the lowest failure; retry from it.
      this.acknowledge(upTo[upTo.indexOf(records[failedAt]!) - 1]);
      this.lastError = new Error(`the function reported record ${sequenceOf(records[failedAt]!)} as failed`);
    } catch (error) {
      this.lastError = error;
      this.options.logger.warn({ err: error, pipeline: this.options.pipeline, records: records.length }, 'batch failed; it will be retried');
    } finally {
      this.current = undefined;
    }
    await this.retryOrDiscard(records.slice(failedAt ?? 0), failedAt === undefined);
  }

  /** Index of the lowest failed record; the whole batch (0) for an identifier Lambda would not recognise. */
  private firstFailure(response: BatchResponse | undefined, records: readonly DeliveredStreamRecord[]): number | undefined {
    const failures = response?.batchItemFailures ?? [];
    if (!failures.length) return undefined;
    let lowest: number | undefined;
    for (const failure of failures) {
      const index = records.findIndex((record) => sequenceOf(record) === failure?.itemIdentifier);
      if (index === -1) return 0;
      lowest = lowest === undefined ? index : Math.min(lowest, index);
    }
    return lowest;
  }

  private succeeded(last: DeliveredStreamRecord | undefined): void {
    this.acknowledge(last);
    this.attempts = 0;
    this.limit = this.splits.pop() ?? this.options.trigger.batchSize;
  }

  private async retryOrDiscard(remaining: DeliveredStreamRecord[], functionError: boolean): Promise<void> {
    const { trigger } = this.options;
    this.attempts++;
    if (trigger.retries !== -1 && this.attempts > trigger.retries) {
      const message = this.lastError instanceof Error ? this.lastError.message : String(this.lastError);
      await this.options.onFailure({ records: remaining, reason: `retries used up (${trigger.retries}): ${message}`, attempts: this.attempts, error: this.lastError });
      this.succeeded(remaining[remaining.length - 1]);
      return;
    }
    if (functionError && trigger.bisectOnError && remaining.length > 1) {
      const half = Math.ceil(remaining.length / 2);
      this.splits.push(remaining.length - half);
      this.limit = half;
    } else if (!functionError && trigger.bisectOnError) {
      // With a partial batch response, Lambda splits at the failed record and retries only what remains.
      this.limit = remaining.length;
    }
    const base = this.options.retryDelayMs ?? 500;
    await this.pause(Math.min(base * 2 ** (this.attempts - 1), 30_000));
  }
}
