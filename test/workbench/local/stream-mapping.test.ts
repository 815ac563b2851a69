import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../../shared/workbench/local/checkpoints.ts';
import type { DeliveredStreamRecord, TableStream } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import type { MappingFailure } from '../../../shared/workbench/local/stream-mapping.ts';
import { StreamMapping } from '../../../shared/workbench/local/stream-mapping.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { tableTriggerSpec } from '../../../shared/engine/pipeline/schema.ts';
import type { BatchResponse } from '../../../shared/engine/runtime/handle-stream-event.ts';

/** A stream kept in memory, with the read contract of the embedded one: records after a sequence number, in order. */
class MemoryStream implements TableStream {
  readonly table = 'orders';
  readonly streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-11-29T00:00:00.000';
  readonly streamLabel = '2026-11-29T00:00:00.000';
  readonly shardId = 'shardId-00000001';
  readonly viewType = 'NEW_AND_OLD_IMAGES' as const;
  readonly records: DeliveredStreamRecord[] = [];
  private readonly listeners = new Set<() => void>();
  private next = 100000000000000000000n;

  append(status: string, createdSeconds = Math.floor(Date.now() / 1000)): string {
    const sequence = String(this.next++);
    const id = `o${this.records.length + 1}`;
    this.records.push({
      eventID: sequence,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: this.streamArn,
      dynamodb: { ApproximateCreationDateTime: createdSeconds, Keys: { id: { S: id } }, NewImage: { id: { S: id }, status: { S: status } }, SequenceNumber: sequence, SizeBytes: 20, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    for (const listener of this.listeners) listener();
    return sequence;
  }

  read(after: string | undefined, limit: number): DeliveredStreamRecord[] {
    return this.records.filter((record) => after === undefined || BigInt(record.dynamodb.SequenceNumber) > BigInt(after)).slice(0, limit);
  }

  latestSequenceNumber(): string | undefined {
    return this.records[this.records.length - 1]?.dynamodb.SequenceNumber;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const ids = (records: readonly DeliveredStreamRecord[]) => records.map((record) => record.dynamodb.Keys.id?.S ?? '');

describe('the local event source mapping', () => {
  let dir: string;
  let stream: MemoryStream;
  let batches: string[][];
  let failures: { ids: string[]; reason: string }[];
  let respond: (records: DeliveredStreamRecord[]) => BatchResponse | Promise<BatchResponse>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-mapping-'));
    stream = new MemoryStream();
    batches = [];
    failures = [];
    respond = () => ({ batchItemFailures: [] });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function mapping(trigger: Record<string, unknown>, checkpoints = new CheckpointStore(join(dir, 'checkpoints.json'))): StreamMapping {
    return new StreamMapping({
      pipeline: 'revenue',
      trigger: tableTriggerSpec.parse({ table: 'orders', startingPosition: 'TRIM_HORIZON', ...trigger }),
      stream,
      checkpoints,
      logger: createSilentLogger(),
      retryDelayMs: 1,
      invoke: async (event) => {
        batches.push(ids(event.Records));
        return respond(event.Records);
      },
      onFailure: async (failure: MappingFailure) => {
        failures.push({ ids: ids(failure.records), reason: failure.reason });
      },
    });
  }

  it('delivers in order, in batches of at most batchSize, and acknowledges each', async () => {
    for (let i = 0; i < 7; i++) stream.append('paid');
    const m = mapping({ batchSize: 3 });
    m.start();
    await m.idle();
    expect(batches).toEqual([['o1', 'o2', 'o3'], ['o4', 'o5', 'o6'], ['o7']]);
    stream.append('paid');
    await m.idle();
    expect(batches.at(-1)).toEqual(['o8']);
    await m.stop();
  });

  it('resumes after the last acknowledged record when started again', async () => {
    for (let i = 0; i < 4; i++) stream.append('paid');
    const first = mapping({ batchSize: 2 });
    first.start();
    await first.idle();
    await first.stop();
    stream.append('paid');
    const again = mapping({ batchSize: 2 });
    again.start();
    await again.idle();
    expect(batches).toEqual([['o1', 'o2'], ['o3', 'o4'], ['o5']]);
    await again.stop();
  });

  it('LATEST starts after what the stream held when the mapping was created', async () => {
    stream.append('paid');
    const m = mapping({ startingPosition: 'LATEST' });
    m.start();
    await m.idle();
    stream.append('paid');
    await m.idle();
    expect(batches).toEqual([['o2']]);
    await m.stop();
  });

  it('skips records no filter matches, without an invocation, and acknowledges them', async () => {
    stream.append('pending');
    stream.append('paid');
    stream.append('pending');
    stream.append('refunded');
    const m = mapping({ filters: [{ dynamodb: { NewImage: { status: { S: ['paid'] } } } }, { dynamodb: { NewImage: { status: { S: [{ prefix: 'ref' }] } } } }] });
    m.start();
    await m.idle();
    expect(batches).toEqual([['o2', 'o4']]);
    expect(m.busy).toBe(false);
    await m.stop();
  });

  it('on a partial batch response, retries from the lowest failed record, acknowledging those before it', async () => {
    for (let i = 0; i < 5; i++) stream.append('paid');
    let failOnce = true;
    respond = (records) => {
      if (!failOnce) return { batchItemFailures: [] };
      failOnce = false;
      // Reported out of order: the lowest one counts.
      return { batchItemFailures: [{ itemIdentifier: records[3]!.dynamodb.SequenceNumber }, { itemIdentifier: records[2]!.dynamodb.SequenceNumber }] };
    };
    const m = mapping({});
    m.start();
    await m.idle();
    expect(batches).toEqual([['o1', 'o2', 'o3', 'o4', 'o5'], ['o3', 'o4', 'o5']]);
    await m.stop();
  });

  it('treats an identifier that is not in the batch as a failure of the whole batch', async () => {
    for (let i = 0; i < 3; i++) stream.append('paid');
    let calls = 0;
    respond = () => (calls++ === 0 ? { batchItemFailures: [{ itemIdentifier: '' }] } : { batchItemFailures: [] });
    const m = mapping({});
    m.start();
    await m.idle();
    expect(batches).toEqual([['o1', 'o2', 'o3'], ['o1', 'o2', 'o3']]);
    await m.stop();
  });

  it('with bisectOnError, halves a failing batch until the bad record is alone, then sends it to the on-failure destination after its retries', async () => {
    for (let i = 0; i < 8; i++) stream.append('paid');
    respond = (records) => {
      if (ids(records).includes('o6')) throw new Error('throttled');
      return { batchItemFailures: [] };
    };
    const m = mapping({ bisectOnError: true, retries: 4 });
    m.start();
    await m.idle();
    expect(batches.slice(0, 5)).toEqual([
      ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8'],
      ['o1', 'o2', 'o3', 'o4'],
      ['o5', 'o6', 'o7', 'o8'],
      ['o5', 'o6'],
      ['o5'],
    ]);
    expect(failures).toEqual([{ ids: ['o6'], reason: 'retries used up (4): throttled' }]);
    // After the bad record, delivery goes on.
    expect(batches.at(-1)).toEqual(['o7', 'o8']);
    await m.stop();
  });

  it('without bisect, retries the whole batch `retries` times, then discards it to the on-failure destination', async () => {
    for (let i = 0; i < 3; i++) stream.append('paid');
    respond = () => {
      throw new Error('down');
    };
    const m = mapping({ retries: 2 });
    m.start();
    await m.idle();
    expect(batches).toEqual([['o1', 'o2', 'o3'], ['o1', 'o2', 'o3'], ['o1', 'o2', 'o3']]);
    expect(failures).toEqual([{ ids: ['o1', 'o2', 'o3'], reason: 'retries used up (2): down' }]);
    await m.stop();
  });

  it('sends records older than maxRecordAge to the on-failure destination, never to the function', async () => {
    const now = Math.floor(Date.now() / 1000);
    stream.append('paid', now - 600);
    stream.append('paid', now);
    const m = mapping({ maxRecordAge: 60 });
    m.start();
    await m.idle();
    expect(failures).toEqual([{ ids: ['o1'], reason: 'older than maxRecordAge (60 s)' }]);
    expect(batches).toEqual([['o2']]);
    await m.stop();
  });

  it('waits up to the batching window to fill a batch', async () => {
    stream.append('paid');
    const m = mapping({ batchingWindow: 1, batchSize: 3 });
    m.start();
    setTimeout(() => stream.append('paid'), 200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(batches).toEqual([]);
    await m.idle();
    expect(batches).toEqual([['o1', 'o2']]);
    await m.stop();
  });

  it('stops at once during a batching window or a retry backoff, leaving the records for the next start', async () => {
    stream.append('paid');
    const waiting = mapping({ batchingWindow: 300, batchSize: 10 });
    waiting.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await waiting.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(batches).toEqual([]);
    const resumed = mapping({});
    resumed.start();
    await resumed.idle();
    expect(batches).toEqual([['o1']]);
    await resumed.stop();
  });
});
