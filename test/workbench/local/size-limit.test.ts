import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import type { ObjectResult } from '../../../shared/engine/runtime/process-object.ts';
import type { LocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { repoRoot } from '../../support/paths.ts';
import { listKeys, readObject } from '../../support/s3-read.ts';

const pipeline = `name: thumbnails
on: { bucket: uploads, prefix: images/ }
steps:
  - resize:
      variants: [{ name: thumb, width: 64, format: webp }]
      maxInputBytes: 100000
to: { bucket: media, key: "{dir}/{stem}/{variant}.{ext}" }
onError: { retries: 0, quarantine: { bucket: quarantine } }
`;

describe('an upload over maxInputBytes', () => {
  let dir: string;
  let runtime: LocalRuntime;
  const results: ObjectResult[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-size-limit-'));
    await writeFile(join(dir, 'thumbnails.yml'), pipeline);
    await writeFile(join(dir, 'resources.yml'), 'buckets: { uploads: {}, media: {}, quarantine: {} }\n');
    runtime = await startLocalRuntime({ dataDir: join(dir, '.sluice'), pipelinesDir: dir, logger: createSilentLogger(), onResult: (result) => results.push(result) });
  });
  afterAll(async () => {
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is quarantined with its own size in the reason, as the object store gives it, not the limit', async () => {
    const body = await readFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'harbour-dawn.jpg'));
    expect(body.length).toBe(181131);
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/harbour.jpg', Body: body, ContentType: 'image/jpeg' }));
    await runtime.idle();
    const message = 'step 1 (resize): image is 181131 bytes (176.9 KiB), more than maxInputBytes (100000, 97.7 KiB)';
    expect(results.map((result) => [result.status, result.error?.code, result.error?.message])).toEqual([['quarantined', 'IMAGE_TOO_LARGE', message]]);
    const reason = JSON.parse((await readObject(runtime.s3.client, 'quarantine', 'thumbnails/uploads/images/harbour.jpg.error.json')).body.toString('utf8'));
    expect(reason).toMatchObject({ error: { code: 'IMAGE_TOO_LARGE', message, step: 'resize' }, source: { size: 181131 } });
    expect(await listKeys(runtime.s3.client, 'media')).toEqual([]);
  });
});
