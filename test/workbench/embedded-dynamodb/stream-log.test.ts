import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextSequenceNumber } from '../../../events/dynamodb/sequence-number.ts';
import { RETENTION_MS, StreamLog } from '../../../shared/workbench/embedded-dynamodb/stream-log.ts';
import type { StreamLogOptions } from '../../../shared/workbench/embedded-dynamodb/stream-log.ts';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function options(overrides: Partial<StreamLogOptions> = {}): StreamLogOptions {
  const directory = overrides.directory ?? mkdtempSync(join(tmpdir(), 'sluice-stream-log-'));
  directories.push(directory);
  return { directory, table: 'orders', keySchema: [{ name: 'id', type: 'S' }], viewType: 'NEW_AND_OLD_IMAGES', region: 'us-east-1', newTable: false, ...overrides };
}

const put = (id: string, value: string, at: number) => ({ eventName: 'INSERT' as const, keys: { id: { S: id } }, newImage: { id: { S: id }, v: { S: value } }, at });

describe('sequence numbers', () => {
  it('are decimal strings of 21 digits or more, rising strictly, past the clock', () => {
    const now = Date.UTC(2025, 0, 1);
    const first = nextSequenceNumber(undefined, now);
    const second = nextSequenceNumber(first, now);
    const later = nextSequenceNumber(second, now + 1);
    expect(first).toMatch(/^\d{21,}$/);
    expect(BigInt(second)).toBe(BigInt(first) + 1n);
    expect(BigInt(later) > BigInt(second)).toBe(true);
    // Beyond what a JS number holds exactly: only BigInt tells these apart.
    expect(Number(first) === Number(second)).toBe(true);
    expect(nextSequenceNumber('999999999999999999999999', now)).toBe('1000000000000000000000000');
  });
});

describe('StreamLog', () => {
  it('names its stream as AWS does and keeps records in sequence order', () => {
    const log = new StreamLog(options());
    expect(log.streamArn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(log.streamArn.endsWith(`/stream/${log.streamLabel}`)).toBe(true);
    expect(log.shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(log.latestSequenceNumber()).toBeUndefined();
    for (const id of ['a', 'b', 'c']) log.commit(log.recordIntent([{ id: { S: id } }], [null]), [put(id, '1', Date.now())]);
    const all = log.read(undefined, 10);
    expect(all.map((record) => record.dynamodb.Keys.id!.S)).toEqual(['a', 'b', 'c']);
    expect(BigInt(all[0]!.dynamodb.SequenceNumber) >= BigInt(log.startSequence)).toBe(true);
    expect(log.read(all[0]!.dynamodb.SequenceNumber, 10)).toEqual(all.slice(1));
    expect(log.read(all[0]!.dynamodb.SequenceNumber, 1)).toEqual(all.slice(1, 2));
    expect(log.read(all[2]!.dynamodb.SequenceNumber, 10)).toEqual([]);
    expect(log.latestSequenceNumber()).toBe(all[2]!.dynamodb.SequenceNumber);
    log.close();
  });

  it('tells listeners after each append that has records, and stops when unsubscribed', () => {
    const log = new StreamLog(options());
    let calls = 0;
    const unsubscribe = log.onAppend(() => calls++);
    log.commit(log.recordIntent([{ id: { S: 'a' } }], [null]), [put('a', '1', Date.now())]);
    log.commit(log.recordIntent([{ id: { S: 'a' } }], [null]), []);
    unsubscribe();
    log.commit(log.recordIntent([{ id: { S: 'b' } }], [null]), [put('b', '1', Date.now())]);
    expect(calls).toBe(1);
    log.close();
  });

  it('reopens with its records, its stream and the intents that have no commit', () => {
    const first = new StreamLog(options());
    first.commit(first.recordIntent([{ id: { S: 'a' } }], [null]), [put('a', '1', Date.now())]);
    const open = first.recordIntent([{ id: { S: 'b' } }], [{ id: { S: 'b' }, v: { S: 'old' } }]);
    first.close();
    const second = new StreamLog(options({ directory: directories.at(-1)! }));
    expect(second.streamArn).toBe(first.streamArn);
    expect(second.read(undefined, 10)).toEqual(first.read(undefined, 10));
    expect(second.pendingIntents()).toEqual([open]);
    expect(() => second.compact()).toThrow(/not resolved/);
    second.commit(second.pendingIntents()[0]!, []);
    second.compact();
    second.close();
    const third = new StreamLog(options({ directory: directories.at(-1)! }));
    expect(third.pendingIntents()).toEqual([]);
    expect(third.read(undefined, 10)).toEqual(first.read(undefined, 10));
    third.close();
  });

  it('cuts off a line torn by a crash and appends on a clean line', () => {
    const log = new StreamLog(options());
    log.commit(log.recordIntent([{ id: { S: 'a' } }], [null]), [put('a', '1', Date.now())]);
    log.close();
    const file = join(directories.at(-1)!, 'orders.log');
    appendFileSync(file, '{"intent":{"id":7,"at":1,"ke');
    const reopened = new StreamLog(options({ directory: directories.at(-1)! }));
    expect(reopened.pendingIntents()).toEqual([]);
    reopened.commit(reopened.recordIntent([{ id: { S: 'b' } }], [null]), [put('b', '1', Date.now())]);
    reopened.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).every((line) => JSON.parse(line))).toBe(true);
    const again = new StreamLog(options({ directory: directories.at(-1)! }));
    expect(again.read(undefined, 10).map((record) => record.dynamodb.Keys.id!.S)).toEqual(['a', 'b']);
    again.close();
  });

  it('drops records older than 24 hours at start, and later sequence numbers stay higher', () => {
    let now = Date.UTC(2025, 5, 1);
    const log = new StreamLog(options({ now: () => now }));
    log.commit(log.recordIntent([{ id: { S: 'old' } }], [null]), [put('old', '1', now)]);
    now += RETENTION_MS - 60_000;
    log.commit(log.recordIntent([{ id: { S: 'recent' } }], [null]), [put('recent', '1', now)]);
    const latest = log.latestSequenceNumber()!;
    log.close();
    now += 120_000;
    const reopened = new StreamLog(options({ directory: directories.at(-1)!, now: () => now }));
    expect(reopened.read(undefined, 10).map((record) => record.dynamodb.Keys.id!.S)).toEqual(['recent']);
    reopened.compact();
    reopened.close();
    now += RETENTION_MS;
    const emptied = new StreamLog(options({ directory: directories.at(-1)!, now: () => now }));
    expect(emptied.read(undefined, 10)).toEqual([]);
    emptied.compact();
    emptied.close();
    // Even with the clock set back, the sequence continues above the last number handed out.
    const continued = new StreamLog(options({ directory: directories.at(-1)!, now: () => 0 }));
    continued.commit(continued.recordIntent([{ id: { S: 'next' } }], [null]), [put('next', '1', now)]);
    expect(BigInt(continued.latestSequenceNumber()!) > BigInt(latest)).toBe(true);
    continued.close();
  });

  it('starts a new stream when the view type changes or the table was created anew', () => {
    const first = new StreamLog(options());
    first.commit(first.recordIntent([{ id: { S: 'a' } }], [null]), [put('a', '1', Date.now())]);
    first.close();
    let clock = Date.now() + 5;
    const retyped = new StreamLog(options({ directory: directories.at(-1)!, viewType: 'KEYS_ONLY', now: () => clock }));
    expect(retyped.streamArn).not.toBe(first.streamArn);
    expect(retyped.read(undefined, 10)).toEqual([]);
    retyped.close();
    clock += 5;
    const recreated = new StreamLog(options({ directory: directories.at(-1)!, viewType: 'KEYS_ONLY', newTable: true, now: () => clock }));
    expect(recreated.streamArn).not.toBe(retyped.streamArn);
    recreated.close();
  });
});
