import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildS3Event, buildS3EventRecord } from '../../../events/s3/generate.ts';
import type { LocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import type { ObjectResult } from '../../../shared/engine/runtime/process-object.ts';
import { repoRoot } from '../../support/paths.ts';
import { listKeys, readObject } from '../../support/s3-read.ts';

const pipeline = (width: number) => `name: thumbs
on: { bucket: uploads, prefix: images/ }
steps:
  - resize: { variants: [{ name: small, width: ${width}, format: webp }] }
to: { bucket: media, key: "{stem}/{variant}.{ext}" }
onError: { quarantine: { bucket: quarantine } }
`;

describe('S3 delivers at least once: the same version of a source is processed once', () => {
  let dir: string;
  let runtime: LocalRuntime;
  const start = () => startLocalRuntime({ dataDir: join(dir, '.sluice'), pipelinesDir: dir, logger: createSilentLogger() });
  const redeliver = async (key: string): Promise<ObjectResult[]> => {
    const result = await runtime.invoke('thumbs', buildS3Event([buildS3EventRecord({ bucket: 'uploads', key, size: 1 })]));
    return result.trigger === 'bucket' ? result.objects : [];
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-version-'));
    await writeFile(join(dir, 'thumbs.yml'), pipeline(64));
    await writeFile(join(dir, 'resources.yml'), 'buckets: { uploads: {}, media: {}, quarantine: {} }\n');
    runtime = await start();
    const body = await readFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'harbour-dawn.jpg'));
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/harbour.jpg', Body: body }));
    await runtime.idle();
  });
  afterEach(async () => {
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('skips a redelivered event, and records what was done beside the source', async () => {
    expect((await redeliver('images/harbour.jpg')).map((r) => [r.status, r.reason])).toEqual([['skipped', 'this version was already processed']]);
    const record = JSON.parse((await readObject(runtime.s3.client, 'quarantine', 'thumbs/uploads/images/harbour.jpg.summary.json')).body.toString('utf8'));
    expect(record).toMatchObject({ pipeline: 'thumbs', source: { bucket: 'uploads', key: 'images/harbour.jpg' }, outputs: [{ bucket: 'media', key: 'harbour/small.webp' }] });
    expect(record.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('processes a new version of the source, and again when an output went missing', async () => {
    const other = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#336699' } }).jpeg().toBuffer();
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/harbour.jpg', Body: other }));
    await runtime.idle();
    expect(await sharp((await readObject(runtime.s3.client, 'media', 'harbour/small.webp')).body).metadata()).toMatchObject({ width: 64, height: 21 });
    await runtime.s3.client.send(new DeleteObjectCommand({ Bucket: 'media', Key: 'harbour/small.webp' }));
    expect((await redeliver('images/harbour.jpg')).map((r) => r.status)).toEqual(['processed']);
  });

  it('keeps versions of keys S3 takes and file names could not (//, . and .. segments, upper case, a folder marker), as of any key', async () => {
    const key = 'images//2026/./../Harbour Dawn.JPG';
    const body = await readFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'harbour-dawn.jpg'));
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body }));
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/', Body: '' }));
    await runtime.idle();
    expect(await sharp((await readObject(runtime.s3.client, 'media', 'Harbour Dawn/small.webp')).body).metadata()).toMatchObject({ width: 64 });
    expect((await redeliver(key)).map((r) => [r.status, r.reason])).toEqual([['skipped', 'this version was already processed']]);
    expect(JSON.parse((await readObject(runtime.s3.client, 'quarantine', `thumbs/uploads/${key}.summary.json`)).body.toString('utf8'))).toMatchObject({ source: { key } });
    // The folder marker is no image: quarantined, its reason beside it, under keys ending in `/` and `/.error.json`.
    expect(JSON.parse((await readObject(runtime.s3.client, 'quarantine', 'thumbs/uploads/images/.error.json')).body.toString('utf8'))).toMatchObject({ source: { key: 'images/' } });
    expect(await listKeys(runtime.s3.client, 'quarantine', 'thumbs/uploads/images/')).toEqual(['thumbs/uploads/images/', 'thumbs/uploads/images/.error.json', 'thumbs/uploads/images/harbour.jpg.summary.json', `thumbs/uploads/${key}.summary.json`].sort());
  });

  it('processes it again after the pipeline changed', async () => {
    await runtime.close();
    await writeFile(join(dir, 'thumbs.yml'), pipeline(32));
    runtime = await start();
    expect((await redeliver('images/harbour.jpg')).map((r) => r.status)).toEqual(['processed']);
    expect(await sharp((await readObject(runtime.s3.client, 'media', 'harbour/small.webp')).body).metadata()).toMatchObject({ width: 32 });
  });
});
