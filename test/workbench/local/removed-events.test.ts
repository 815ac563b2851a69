import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { outputKeyPrefix } from '../../../shared/engine/runtime/delete-outputs.ts';
import { repoRoot } from '../../support/paths.ts';
import { listKeys } from '../../support/s3-read.ts';

const pipeline = `name: thumbnails
on: { bucket: uploads, events: [created, removed], prefix: images/, suffix: [.jpg, .png] }
steps:
  - resize:
      variants:
        - { name: thumb, width: 64, height: 64, format: webp }
        - { name: large, width: 300, format: source }
to: { bucket: media, key: "{dir}/{variant}-{stem}.{ext}" }
onError: { quarantine: { bucket: quarantine } }
`;

describe('removed events delete the outputs made from the removed object', () => {
  let dir: string;
  let runtime: LocalRuntime;
  const image = () => readFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'harbour-dawn.jpg'));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-removed-'));
    await writeFile(join(dir, 'thumbnails.yml'), pipeline);
    await writeFile(join(dir, 'resources.yml'), 'buckets: { uploads: {}, media: {}, quarantine: {} }\n');
    runtime = await startLocalRuntime({ dataDir: join(dir, '.sluice'), pipelinesDir: dir, logger: createSilentLogger() });
  });
  afterAll(async () => {
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes exactly that source\'s variants, recognised by their metadata, not those of another source under the same prefix', async () => {
    const s3 = runtime.s3.client;
    const body = await image();
    // With {dir}/{variant}-{stem}.{ext}, the fixed part of every output key is `images/`: shared by both sources.
    for (const key of ['images/cat.jpg', 'images/dog.jpg']) await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body }));
    await runtime.idle();
    expect(await listKeys(s3, 'media')).toEqual(['images/large-cat.jpg', 'images/large-dog.jpg', 'images/thumb-cat.webp', 'images/thumb-dog.webp']);
    await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'images/cat.jpg' }));
    await runtime.idle();
    expect(await listKeys(s3, 'media')).toEqual(['images/large-dog.jpg', 'images/thumb-dog.webp']);
    expect(runtime.stats.all()[0]).toMatchObject({ deleted: 2 });
    // The record that cat was processed went with its variants; dog's stays.
    expect(await listKeys(s3, 'quarantine')).toEqual(['thumbnails/uploads/images/dog.jpg.summary.json']);
  });

  it('keeps what was quarantined from a source that is removed: the copy and its reason are all that is left of it', async () => {
    const s3 = runtime.s3.client;
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/broken.jpg', Body: await readFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'broken-upload.jpg')) }));
    await runtime.idle();
    await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'images/broken.jpg' }));
    await runtime.idle();
    expect(await listKeys(s3, 'quarantine', 'thumbnails/uploads/images/broken')).toEqual(['thumbnails/uploads/images/broken.jpg', 'thumbnails/uploads/images/broken.jpg.error.json']);
  });

  it('does nothing more when the removal is delivered again', async () => {
    const before = await listKeys(runtime.s3.client, 'media');
    await runtime.s3.client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'images/cat.jpg' }));
    await runtime.idle();
    expect(await listKeys(runtime.s3.client, 'media')).toEqual(before);
  });

  it('delete the outputs of every object a DeleteObjects request removes (as `aws s3 rm --recursive` sends), not of a listed key that was not there', async () => {
    const s3 = runtime.s3.client;
    const body = await image();
    for (const key of ['images/fox.jpg', 'images/owl.jpg']) await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body }));
    await runtime.idle();
    expect(await listKeys(s3, 'media')).toHaveLength(6);
    const deletedBefore = runtime.stats.all()[0]!.deleted;
    await s3.send(new DeleteObjectsCommand({ Bucket: 'uploads', Delete: { Objects: [{ Key: 'images/fox.jpg' }, { Key: 'images/owl.jpg' }, { Key: 'images/never-there.jpg' }] } }));
    await runtime.idle();
    expect(await listKeys(s3, 'uploads')).toEqual(['images/dog.jpg']);
    expect(await listKeys(s3, 'media')).toEqual(['images/large-dog.jpg', 'images/thumb-dog.webp']);
    expect(runtime.stats.all()[0]!.deleted - deletedBefore).toBe(4);
  });

  it('lists under the key template\'s fixed part only', () => {
    const to = { bucket: 'media', key: '{dir}/{stem}/{variant}.{ext}' };
    expect(outputKeyPrefix(to, 'thumbnails', { bucket: 'uploads', key: 'images/cat.jpg' })).toEqual({ prefix: 'images/cat/', exact: false });
    expect(outputKeyPrefix({ bucket: 'media', key: 'copies/{key}' }, 'p', { bucket: 'uploads', key: 'a/b.jpg' })).toEqual({ prefix: 'copies/a/b.jpg', exact: true });
    expect(outputKeyPrefix({ bucket: 'media', key: '{date}/{name}' }, 'p', { bucket: 'uploads', key: 'a/b.jpg' })).toEqual({ prefix: '', exact: false });
  });
});
