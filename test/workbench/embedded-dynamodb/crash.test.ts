import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDynamoDB } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import type { DeliveredStreamRecord } from '../../../shared/workbench/embedded-dynamodb/server.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const FIXTURE = join(import.meta.dirname, 'crash-writer.fixture.ts');
/** Acknowledged writes to wait for before the kill. */
const ACKNOWLEDGED_BEFORE_KILL = 100;

type Acknowledged = { op: 'put'; id: string; w: number } | { op: 'delete'; id: string; previous: number };

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-crash-'));
const LOG = join(dataDir, 'streams', 'crash.log');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Whether the stream log ends with a write's intent: the write is in flight, its records not yet logged. */
function endsWithIntent(): boolean {
  const fd = openSync(LOG, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return (tail.toString('utf8').split('\n').at(-2) ?? '').startsWith('{"intent"');
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts the writer and, once enough writes are acknowledged, SIGKILLs it while a write is in
 * flight (the log ends with its intent): the hardest moment. Returns what it printed.
 */
function runAndKill(): Promise<Acknowledged[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dataDir], {
      cwd: REPO,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: Acknowledged[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Acknowledged | { ready: true };
      if ('ready' in entry) return;
      acknowledged.push(entry);
      if (acknowledged.length !== ACKNOWLEDGED_BEFORE_KILL) return;
      const giveUpAt = Date.now() + 3000;
      const killMidWrite = () => (endsWithIntent() || Date.now() > giveUpAt ? child.kill('SIGKILL') : setImmediate(killMidWrite));
      killMidWrite();
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') done(acknowledged);
      else fail(new Error(`the writer exited on its own (${acknowledged.length} writes acknowledged):\n${stderr}`));
    });
  });
}

describe('the change stream after a crash', () => {
  it('has a record for every acknowledged write, none twice, and chains to what the table holds', async () => {
    const acknowledged = await runAndKill();
    expect(endsWithIntent(), 'killed while a write was in flight').toBe(true);
    const db = await startEmbeddedDynamoDB({ dataDir, tables: { crash: { partitionKey: { name: 'id', type: 'S' }, stream: 'NEW_AND_OLD_IMAGES' } } });
    try {
      const records = db.streams.get('crash')!.read(undefined, 100_000);
      const w = (image: DeliveredStreamRecord['dynamodb']['NewImage']) => (image ? Number(image.w!.N) : undefined);
      const written = records.filter((record) => record.eventName !== 'REMOVE').map((record) => `${record.dynamodb.Keys.id!.S}=${w(record.dynamodb.NewImage)}`);
      const removed = records.filter((record) => record.eventName === 'REMOVE').map((record) => `${record.dynamodb.Keys.id!.S}=${w(record.dynamodb.OldImage)}`);

      for (const write of acknowledged) {
        if (write.op === 'put') expect(written, `put ${write.id} w=${write.w}`).toContain(`${write.id}=${write.w}`);
        else expect(removed, `delete ${write.id} (held w=${write.previous})`).toContain(`${write.id}=${write.previous}`);
      }
      expect(new Set(written).size).toBe(written.length);
      expect(new Set(removed).size).toBe(removed.length);
      expect(new Set(records.map((record) => record.eventID)).size).toBe(records.length);
      const sequences = records.map((record) => BigInt(record.dynamodb.SequenceNumber));
      sequences.slice(1).forEach((sequence, index) => expect(sequence > sequences[index]!).toBe(true));

      // Per item, each record starts from the previous one's new image and the last one ends at the
      // item as stored: no change was lost, none recorded twice, acknowledged or not.
      for (const id of new Set(records.map((record) => record.dynamodb.Keys.id!.S!))) {
        let image: DeliveredStreamRecord['dynamodb']['NewImage'];
        for (const record of records.filter((candidate) => candidate.dynamodb.Keys.id!.S === id)) {
          expect(record.dynamodb.OldImage, `${id} at ${record.dynamodb.SequenceNumber}`).toEqual(image);
          image = record.dynamodb.NewImage;
        }
        const stored = await db.client.send(new GetItemCommand({ TableName: 'crash', Key: { id: { S: id } }, ConsistentRead: true }));
        expect(stored.Item, id).toEqual(image);
      }
    } finally {
      await db.close();
    }
  });
});
