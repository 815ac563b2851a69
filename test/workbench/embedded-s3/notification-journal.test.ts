import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotificationJournal } from '../../../shared/workbench/embedded-s3/notification-journal.ts';
import { NOTIFICATION_JOURNAL, startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import type { ObjectResult } from '../../../shared/engine/runtime/process-object.ts';
import { repoRoot } from '../../support/paths.ts';
import { listKeys } from '../../support/s3-read.ts';

const PIPELINE = `name: thumbs
on: { bucket: uploads, prefix: images/ }
steps:
  - resize: { variants: [{ name: small, width: 32, format: webp }] }
to: { bucket: media, key: "{stem}/{variant}.{ext}" }
onError: { quarantine: { bucket: quarantine } }
`;

describe('object events survive a killed process', () => {
  let dir: string;
  let dataDir: string;
  let journal: string;
  const image = () => readFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'harbour-dawn.jpg'));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-journal-'));
    dataDir = join(dir, '.sluice');
    journal = join(dataDir, NOTIFICATION_JOURNAL);
    await writeFile(join(dir, 'thumbs.yml'), PIPELINE);
    await writeFile(join(dir, 'resources.yml'), 'buckets: { uploads: {}, media: {}, quarantine: {} }\n');
    // Objects written as a killed `sluice run` left them: on disk, their events not delivered.
    const s3 = await startEmbeddedS3({ dataDir, buckets: ['uploads', 'media', 'quarantine'] });
    for (const key of ['images/logged.jpg', 'images/mid-request.jpg', 'images/unrelated.jpg']) await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: await image() }));
    await s3.close();
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('delivers at the next start an event logged but not done, and settles a write that was in flight by looking at the object', async () => {
    const lines = [
      { notice: 1, event: { bucket: 'uploads', key: 'images/logged.jpg', eventName: 'ObjectCreated:Put', size: 1, eTag: 'd41d8cd98f00b204e9800998ecf8427e' } },
      { intent: 2, write: { method: 'PUT', bucket: 'uploads', key: 'images/mid-request.jpg' } },
      { intent: 3, write: { method: 'PUT', bucket: 'uploads', key: 'images/never-written.jpg' } },
      { intent: 4, write: { method: 'PUT', bucket: 'uploads', key: 'images/unrelated.jpg' } },
      { settled: 4 },
    ];
    await appendFile(journal, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n{"notice":5,"ev`);
    const results: ObjectResult[] = [];
    const runtime = await startLocalRuntime({ dataDir, pipelinesDir: dir, logger: createSilentLogger(), onResult: (result) => results.push(result) });
    try {
      await runtime.idle();
      expect(results.map((result) => [result.source.key, result.status]).sort()).toEqual([
        ['images/logged.jpg', 'processed'],
        ['images/mid-request.jpg', 'processed'],
      ]);
      expect(await listKeys(runtime.s3.client, 'media')).toEqual(['logged/small.webp', 'mid-request/small.webp']);
    } finally {
      await runtime.close();
    }
    // Everything was delivered: the journal is left empty, and the next start delivers nothing again.
    expect(await readFile(journal, 'utf8')).toBe('');
  });

  it('logs each write of a running runtime until its pipelines are done with it', async () => {
    const runtime = await startLocalRuntime({ dataDir, pipelinesDir: dir, logger: createSilentLogger() });
    try {
      await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/new.jpg', Body: await image() }));
      const logged = (await readFile(journal, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged[0]).toEqual({ intent: 1, write: { method: 'PUT', bucket: 'uploads', key: 'images/new.jpg' } });
      expect(logged[1]).toMatchObject({ notice: 2, intent: 1, event: { bucket: 'uploads', key: 'images/new.jpg', eventName: 'ObjectCreated:Put' } });
      expect(logged).toContainEqual({ settled: 1 });
      await runtime.idle();
      expect((await readFile(journal, 'utf8')).split('\n')).toContain('{"done":2}');
    } finally {
      await runtime.close();
    }
  });

  it('starts again empty once nothing is pending, so a long session does not grow it without end; never drops what is pending', async () => {
    const log = new NotificationJournal(journal);
    const lines = async () => (await readFile(journal, 'utf8')).split('\n').filter(Boolean).length;
    const write = { method: 'PUT', bucket: 'uploads', key: 'k' };
    const waiting = log.record({ bucket: 'uploads', key: 'waiting', eventName: 'ObjectCreated:Put', eTag: 'e' });
    for (let i = 0; i < 6000; i++) log.settle(log.intend(write));
    expect(await lines()).toBe(12_001); // an event is pending: kept whole
    log.done(waiting);
    for (let i = 0; i < 10; i++) log.settle(log.intend(write));
    expect(await lines()).toBeLessThan(100);
    const pending = log.record({ bucket: 'uploads', key: 'still-pending', eventName: 'ObjectCreated:Put', eTag: 'e' });
    log.close();
    const reopened = new NotificationJournal(journal);
    expect(reopened.recovered()).toEqual({ notices: [{ id: pending, notice: { bucket: 'uploads', key: 'still-pending', eventName: 'ObjectCreated:Put', eTag: 'e' } }], intents: [] });
    reopened.close();
  });
});
