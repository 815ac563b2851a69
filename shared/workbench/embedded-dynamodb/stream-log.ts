import { closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { StreamViewType } from '../../contract/table-change.ts';
import type { WireImage } from '../../../events/dynamodb/schema.ts';
import type { KeySchema } from './key-schema.ts';
import { appendLogLine, openForAppend, readLogLines, removeUnfinishedRewrite, rewriteLog } from './log-file.ts';
import { nextSequenceNumber } from '../../../events/dynamodb/sequence-number.ts';
import { streamRecordOf } from '../../../events/dynamodb/generate.ts';
import type { DeliveredStreamRecord } from '../../../events/dynamodb/generate.ts';
import type { ItemChange } from './item-change.ts';
import type { TableStream } from './table-stream.ts';

/** DynamoDB keeps stream records for 24 hours. */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** What identifies a stream; the first line of its log. */
interface StreamHeader {
  table: string;
  label: string;
  viewType: StreamViewType;
  createdAt: number;
  /** The shard's first sequence number: no record has a lower one. */
  startSequence: string;
  /** The newest sequence number handed out, kept across a trim that empties the log. */
  lastSequence?: string;
}

/** A write about to be made: its items' keys and what they held before, logged before the write so a crash cannot lose its records. */
export interface WriteIntent {
  id: number;
  /** When the write was made, in milliseconds. */
  at: number;
  keys: WireImage[];
  /** The items before the write, null where there was none; parallel to `keys`. */
  old: (WireImage | null)[];
}

type LogEntry = { stream: StreamHeader } | { intent: WriteIntent } | { commit?: number; records: DeliveredStreamRecord[] };

export interface StreamLogOptions {
  /** The folder of the stream logs (`<dataDir>/streams`). */
  directory: string;
  table: string;
  keySchema: KeySchema;
  viewType: StreamViewType;
  region: string;
  /** The table was created just now: a log left from before belongs to a table that no longer exists. */
  newTable: boolean;
  now?: () => number;
}

const streamLabel = (at: number) => new Date(at).toISOString().slice(0, -1);

/**
 * The change stream of one table, kept in an append-only log (`<directory>/<table>.log`): an
 * intent line before each write, a commit line with its records after. Records stay in memory,
 * in sequence order, for reading; the log is what survives a crash.
 */
export class StreamLog implements TableStream {
  readonly table: string;
  readonly streamArn: string;
  readonly streamLabel: string;
  readonly shardId: string;
  readonly viewType: StreamViewType;
  readonly keySchema: KeySchema;
  readonly createdAt: number;
  readonly startSequence: string;
  private readonly file: string;
  private readonly region: string;
  private readonly now: () => number;
  private fd: number | undefined;
  private readonly records: DeliveredStreamRecord[] = [];
  private readonly sequences: bigint[] = [];
  private lastSequence: string;
  private nextIntentId = 1;
  private readonly pending = new Map<number, WriteIntent>();
  private readonly listeners = new Set<() => void>();

  /** Opens (or starts) the log, keeps the records of the last 24 hours, and leaves intents without a commit in `pendingIntents()`. */
  constructor(options: StreamLogOptions) {
    this.now = options.now ?? Date.now;
    this.file = join(options.directory, `${options.table}.log`);
    this.region = options.region;
    this.table = options.table;
    this.keySchema = options.keySchema;
    this.viewType = options.viewType;
    removeUnfinishedRewrite(this.file);
    const entries = readLogLines(this.file) as LogEntry[];
    const first = entries[0];
    const previous = first && 'stream' in first ? first.stream : undefined;
    // A new view type is a new stream, as in DynamoDB (which has to disable and re-enable it).
    const fresh = !previous || options.newTable || previous.table !== options.table || previous.viewType !== options.viewType;
    const header = fresh ? this.newHeader() : previous;
    this.streamLabel = header.label;
    this.createdAt = header.createdAt;
    this.startSequence = header.startSequence;
    this.streamArn = `arn:aws:dynamodb:${this.region}:000000000000:table/${this.table}/stream/${this.streamLabel}`;
    this.shardId = `shardId-${String(header.createdAt).padStart(20, '0')}-${createHash('sha256').update(this.streamArn).digest('hex').slice(0, 8)}`;
    this.lastSequence = header.lastSequence ?? (BigInt(header.startSequence) - 1n).toString();
    if (fresh) rewriteLog(this.file, [{ stream: header }]);
    else this.replay(entries.slice(1));
    this.trim();
    this.fd = openForAppend(this.file);
  }

  private newHeader(): StreamHeader {
    const createdAt = this.now();
    return { table: this.table, label: streamLabel(createdAt), viewType: this.viewType, createdAt, startSequence: nextSequenceNumber(undefined, createdAt) };
  }

  private replay(entries: LogEntry[]): void {
    for (const entry of entries) {
      if ('intent' in entry) {
        this.pending.set(entry.intent.id, entry.intent);
        this.nextIntentId = Math.max(this.nextIntentId, entry.intent.id + 1);
      } else if ('records' in entry) {
        if (entry.commit !== undefined) this.pending.delete(entry.commit);
        for (const record of entry.records) this.keep(record);
      }
    }
  }

  private keep(record: DeliveredStreamRecord): void {
    const sequence = BigInt(record.dynamodb.SequenceNumber);
    this.records.push(record);
    this.sequences.push(sequence);
    if (sequence > BigInt(this.lastSequence)) this.lastSequence = record.dynamodb.SequenceNumber;
  }

  // Only from the front, so what is retained stays one unbroken run of the shard.
  private trim(): void {
    const oldest = (this.now() - RETENTION_MS) / 1000;
    let count = 0;
    while (count < this.records.length && this.records[count]!.dynamodb.ApproximateCreationDateTime < oldest) count++;
    this.records.splice(0, count);
    this.sequences.splice(0, count);
  }

  /** Rewrites the log as its header and the retained records: run once intents are resolved, at start. */
  compact(): void {
    if (this.pending.size) throw new Error(`stream log of ${this.table}: ${this.pending.size} write(s) not resolved before compaction`);
    this.closeFile();
    const header: StreamHeader = { table: this.table, label: this.streamLabel, viewType: this.viewType, createdAt: this.createdAt, startSequence: this.startSequence, lastSequence: this.lastSequence };
    rewriteLog(this.file, [{ stream: header }, ...this.records.map((record) => ({ records: [record] }))]);
    this.fd = openForAppend(this.file);
    this.nextIntentId = 1;
  }

  /** Writes whose outcome was not recorded (the process died, or reading the result failed): to resolve before the next write. */
  pendingIntents(): WriteIntent[] {
    return [...this.pending.values()];
  }

  /** Logs, durably, that a write of these items is about to be made. */
  recordIntent(keys: WireImage[], old: (WireImage | null)[]): WriteIntent {
    const intent: WriteIntent = { id: this.nextIntentId++, at: this.now(), keys, old };
    appendLogLine(this.requireFile(), { intent });
    this.pending.set(intent.id, intent);
    return intent;
  }

  /** Logs, durably, the records of a write's changes (none when it changed nothing), then tells the listeners. */
  commit(intent: WriteIntent, changes: readonly ItemChange[]): DeliveredStreamRecord[] {
    const records = changes.map((change) => {
      this.lastSequence = nextSequenceNumber(this.lastSequence, this.now());
      const { at, ...wire } = change;
      return streamRecordOf({ ...wire, approximateCreationDateTime: Math.floor(at / 1000) }, { streamArn: this.streamArn, region: this.region, viewType: this.viewType }, this.lastSequence);
    });
    appendLogLine(this.requireFile(), { commit: intent.id, records });
    this.pending.delete(intent.id);
    for (const record of records) this.keep(record);
    if (records.length) this.notify();
    return records;
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure is its own: the record is logged and other listeners still hear of it.
      }
    }
  }

  read(after: string | undefined, limit: number): DeliveredStreamRecord[] {
    const start = after === undefined || after === '' ? 0 : this.indexAfter(BigInt(after));
    return this.records.slice(start, start + Math.max(0, limit));
  }

  /** The index of the first record with a sequence number above `after`. */
  private indexAfter(after: bigint): number {
    let low = 0;
    let high = this.sequences.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sequences[middle]! <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  latestSequenceNumber(): string | undefined {
    return this.records.at(-1)?.dynamodb.SequenceNumber;
  }

  /** The oldest retained record's sequence number, undefined when none is retained. */
  oldestSequenceNumber(): string | undefined {
    return this.records[0]?.dynamodb.SequenceNumber;
  }

  onAppend(listener: () => void): () => void {
    const own = () => listener();
    this.listeners.add(own);
    return () => this.listeners.delete(own);
  }

  private requireFile(): number {
    if (this.fd === undefined) throw new Error(`stream log of ${this.table} is closed`);
    return this.fd;
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  close(): void {
    this.closeFile();
    this.listeners.clear();
  }
}
