import { closeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { appendLogLine, openForAppend, readLogLines, removeUnfinishedRewrite, rewriteLog } from '../embedded-dynamodb/log-file.ts';

/** One object event as the embedded server reported it (the key decoded); the S3 event is built from it when delivered. */
export interface ObjectNotice {
  bucket: string;
  key: string;
  eventName: string;
  size?: number;
  eTag?: string;
}

/** A request that could write or delete an object, logged before it touches the disk. */
export interface ObjectWriteIntent {
  method: string;
  bucket: string;
  key: string;
}

const COMPACT_AFTER_LINES = 10_000;

type Entry =
  | { intent: number; write: ObjectWriteIntent }
  | { settled: number }
  | { notice: number; event: ObjectNotice; intent?: number }
  | { done: number };

/**
 * S3 delivers every event of a committed write at least once, even when the consumer is down;
 * the local bridge did so only while its process lived: a `sluice run` killed after an upload and
 * before its pipelines finished lost the events, and a restart never processed those objects.
 * This append-only log (`<data>/notifications.log`) makes delivery durable, as the table streams'
 * log does for tables:
 *
 * - an intent is logged when a write or delete request arrives, before the server touches the disk,
 *   and `settled` when the request has finished (with or without an event);
 * - each object event is logged as the server reports it (before the client gets its answer), and
 *   `done` once every pipeline it triggered has finished with it.
 *
 * At the next start, events not done are delivered again, and an intent never settled (the process
 * died mid-request) is settled by looking at the object as it is now. Everything is at least once;
 * the pipelines' same-version check makes a second delivery of a processed object a skip.
 */
export class NotificationJournal {
  private readonly file: string;
  private fd: number;
  private nextId: number;
  private readonly pending = new Map<number, ObjectNotice>();
  private readonly open = new Map<number, ObjectWriteIntent>();
  /** Lines appended since the log was last rewritten. */
  private appended = 0;

  /** Reads what the last process left (and compacts it to that); see `recovered`. */
  constructor(file: string) {
    this.file = file;
    mkdirSync(dirname(file), { recursive: true });
    removeUnfinishedRewrite(file);
    const withEvent = new Set<number>();
    for (const entry of readLogLines(file) as Entry[]) {
      if ('write' in entry) this.open.set(entry.intent, entry.write);
      else if ('settled' in entry) this.open.delete(entry.settled);
      else if ('notice' in entry) {
        this.pending.set(entry.notice, entry.event);
        if (entry.intent !== undefined) withEvent.add(entry.intent);
      } else this.pending.delete(entry.done);
    }
    // An intent whose event was logged is settled by that event.
    for (const id of withEvent) this.open.delete(id);
    this.nextId = Math.max(0, ...this.pending.keys(), ...this.open.keys()) + 1;
    rewriteLog(file, this.snapshot());
    this.fd = openForAppend(file);
  }

  private *snapshot(): Iterable<Entry> {
    for (const [id, write] of this.open) yield { intent: id, write };
    for (const [id, event] of this.pending) yield { notice: id, event };
  }

  /** What the last process left undone: events to deliver again, and writes to settle by looking at the object. */
  recovered(): { notices: { id: number; notice: ObjectNotice }[]; intents: { id: number; write: ObjectWriteIntent }[] } {
    return {
      notices: [...this.pending].map(([id, notice]) => ({ id, notice })),
      intents: [...this.open].map(([id, write]) => ({ id, write })),
    };
  }

  /** The events logged and not yet done with by every pipeline they trigger, now. */
  pendingNotices(): ObjectNotice[] {
    return [...this.pending.values()];
  }

  private append(entry: Entry): void {
    appendLogLine(this.fd, entry);
    this.appended++;
  }

  intend(write: ObjectWriteIntent): number {
    const id = this.nextId++;
    this.open.set(id, write);
    this.append({ intent: id, write });
    return id;
  }

  settle(id: number): void {
    if (!this.open.delete(id)) return;
    this.append({ settled: id });
    this.compactWhenQuiet();
  }

  /** Logs an event before it is delivered; returns its id for `done`. */
  record(event: ObjectNotice, intent?: number): number {
    const id = this.nextId++;
    this.pending.set(id, event);
    this.append({ notice: id, event, ...(intent !== undefined ? { intent } : {}) });
    return id;
  }

  done(id: number): void {
    if (!this.pending.delete(id)) return;
    this.append({ done: id });
    this.compactWhenQuiet();
  }

  /** A long `sluice dev` session would grow the log without end: when nothing is pending, it starts again empty. */
  private compactWhenQuiet(): void {
    if (this.appended < COMPACT_AFTER_LINES || this.pending.size || this.open.size) return;
    closeSync(this.fd);
    rewriteLog(this.file, []);
    this.fd = openForAppend(this.file);
    this.appended = 0;
  }

  /** Keeps only what is still pending, for the next start. */
  close(): void {
    closeSync(this.fd);
    rewriteLog(this.file, this.snapshot());
  }
}
