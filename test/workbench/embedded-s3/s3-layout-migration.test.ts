import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { listKeys, readObject } from '../../support/s3-read.ts';

// The store Sluice used before, writing a data folder as an earlier version of Sluice left it.
const require = createRequire(import.meta.url);
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (directory: string) => {
  putBucket(name: string): Promise<unknown>;
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
};

describe("a data folder in s3rver's layout (Sluice before this store)", () => {
  let dataDir: string;
  const objects: [string, string, Record<string, string>][] = [
    ['images/harbour.jpg', 'jpeg bytes', { 'content-type': 'image/jpeg', 'x-amz-meta-origin': 'camera' }],
    ['images/', '', {}],
    ['Reports 2026/Ünïcode name.CSV', 'a,b\n1,2\n', { 'content-type': 'text/csv' }],
    ['notes.txt', 'tagged', { 'content-type': 'text/plain' }],
  ];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-old-layout-'));
    const old = new FilesystemStore(join(dataDir, 's3'));
    await old.putBucket('uploads');
    // As s3rver's putObject writes them (its own returns before the content is on disk): the content, then its MD5 and metadata.
    for (const [key, body, metadata] of objects) {
      const path = old.getResourcePath('uploads', key, 'object');
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
      // One object without its MD5 file (s3rver wrote it later, on the first read): computed from the content.
      await old.putMetadata('uploads', key, metadata, key === 'notes.txt' ? undefined : createHash('md5').update(body).digest('hex'));
    }
    await writeFile(join(dataDir, 's3', 'uploads', 'notes.txt._S3rver_tagging.xml'), '<Tagging><TagSet><Tag><Key>team</Key><Value>data</Value></Tag></TagSet></Tagging>');
    await mkdir(join(dataDir, 's3', 'uploads', '._S3rver_uploads', 'f00d'), { recursive: true });
    await writeFile(join(dataDir, 's3', 'uploads', '._S3rver_uploads', 'f00d', '1'), 'a part');
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('is moved into the new layout at the first start: every key, its content, metadata, eTag and tags', async () => {
    for (let start = 0; start < 2; start++) {
      const s3 = await startEmbeddedS3({ dataDir });
      try {
        expect(await listKeys(s3.client, 'uploads')).toEqual(objects.map(([key]) => key).sort());
        for (const [key, body, metadata] of objects) {
          const object = await readObject(s3.client, 'uploads', key);
          expect(object.body.toString()).toBe(body);
          expect(object.contentType).toBe(metadata['content-type'] ?? 'binary/octet-stream');
        }
        const photo = await s3.client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'images/harbour.jpg' }));
        expect([photo.ETag, photo.Metadata]).toEqual([`"${createHash('md5').update('jpeg bytes').digest('hex')}"`, { origin: 'camera' }]);
        expect((await s3.client.send(new GetObjectTaggingCommand({ Bucket: 'uploads', Key: 'notes.txt' }))).TagSet).toEqual([{ Key: 'team', Value: 'data' }]);
      } finally {
        await s3.close();
      }
    }
    const names = await readdir(join(dataDir, 's3'), { recursive: true });
    expect(names.filter((name) => name.includes('_S3rver_'))).toEqual([]);
    expect(names).toContain('@layout');
  });
});
