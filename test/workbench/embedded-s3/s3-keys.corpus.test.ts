import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { DeleteObjectCommand, DeleteObjectsCommand, HeadObjectCommand, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { corpus } from '../../support/paths.ts';
import { listKeys, readObject } from '../../support/s3-read.ts';

const s3Order = (keys: Iterable<string>) => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

describe('every key S3 accepts, on the embedded S3 server', () => {
  let dir: string;
  let dataDir: string;
  let s3: EmbeddedS3;
  let keys: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-keys-'));
    dataDir = join(dir, 'data');
    s3 = await startEmbeddedS3({ dataDir, buckets: ['keys', 'others'] });
    const naughty: string[] = JSON.parse(await readFile(corpus('big-list-of-naughty-strings', 'blns.json'), 'utf8'));
    const all = new Set<string>();
    for (const text of naughty.filter((text) => text && !text.includes('\0'))) {
      // As themselves, as folder markers, after an empty segment and `.` and `..` segments.
      for (const key of [text, `${text}/`, `/./a//../${text}`]) if (Buffer.byteLength(key) <= 1024) all.add(key);
    }
    for (const key of ['//', '/', '.', '..', '...', './', '../', 'a/./b', 'a/../../../../b', `${'s'.repeat(1024)}`, `${'é'.repeat(512)}`, `${'d/'.repeat(512)}`, `${'😀'.repeat(256)}`, 'Photo.JPG', 'photo.jpg', 'PHOTO.jpg', 'caf\u00e9', 'cafe\u0301']) all.add(key);
    keys = [...all];
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores each under exactly that key (s3rver refused //, . and .. segments and segments over 200 bytes)', async () => {
    await inParallel(keys, async (key) => {
      await s3.client.send(new PutObjectCommand({ Bucket: 'keys', Key: key, Body: key }));
    });
    const wrong: string[] = [];
    await inParallel(keys, async (key) => {
      const object = await readObject(s3.client, 'keys', key);
      if (object.body.toString() !== key) wrong.push(key);
    });
    expect(wrong).toEqual([]);
    expect((await s3.client.send(new HeadObjectCommand({ Bucket: 'keys', Key: 'é'.repeat(512) }))).ContentLength).toBe(1024);
  }, 180_000);

  it('lists them all, once each, in UTF-8 byte order, as encoding-type=url gives them (what the AWS CLI asks for)', async () => {
    const listed: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3.client, pageSize: 700 }, { Bucket: 'keys', EncodingType: 'url' })) listed.push(...(page.Contents ?? []).map((object) => decodeURIComponent(object.Key!)));
    expect(listed).toEqual(s3Order(keys));
  }, 60_000);

  it('keeps every file inside the bucket folder, under names no file system folds together', async () => {
    const files = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => resolve(entry.parentPath, entry.name));
    const inBucket = files.filter((file) => file.startsWith(join(dataDir, 's3', 'keys') + sep));
    expect(files.filter((file) => !inBucket.includes(file))).toEqual([join(dataDir, 's3', '@layout')]);
    expect(new Set(inBucket.map((file) => file.toLowerCase().normalize('NFC'))).size).toBe(inBucket.length);
    expect(inBucket.filter((file) => file.endsWith('@object'))).toHaveLength(keys.length);
  });

  it('refuses a body that does not match its Content-MD5 (BadDigest), keeping the version there was', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: 'others', Key: 'a/../checked', Body: 'first' }));
    const wrong = await s3.client.send(new PutObjectCommand({ Bucket: 'others', Key: 'a/../checked', Body: 'second', ContentMD5: createHash('md5').update('other').digest('base64') })).catch((error: unknown) => error);
    expect(wrong).toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    expect((await readObject(s3.client, 'others', 'a/../checked')).body.toString()).toBe('first');
    await s3.client.send(new PutObjectCommand({ Bucket: 'others', Key: 'a/../checked', Body: 'second', ContentMD5: createHash('md5').update('second').digest('base64') }));
    expect((await readObject(s3.client, 'others', 'a/../checked')).body.toString()).toBe('second');
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'others', Key: 'a/../checked' }));
  });

  it('deletes them with DeleteObjects, taking each key exactly as sent (s3rver read 007 as 7 and trimmed " a ")', async () => {
    const lookalikes = ['007', '7', ' a ', 'a', '1e3', '1000', 'true', '&amp;', '<Key>'];
    for (const key of lookalikes) await s3.client.send(new PutObjectCommand({ Bucket: 'others', Key: key, Body: key }));
    const answer = await s3.client.send(new DeleteObjectsCommand({ Bucket: 'others', Delete: { Objects: ['007', ' a ', '1e3', 'true', '&amp;'].map((Key) => ({ Key })) } }));
    expect(answer.Deleted?.map((deleted) => deleted.Key)).toEqual(['007', ' a ', '1e3', 'true', '&amp;']);
    expect(await listKeys(s3.client, 'others')).toEqual(['1000', '7', '<Key>', 'a']);

    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const deleted = await s3.client.send(new DeleteObjectsCommand({ Bucket: 'keys', Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      expect(deleted.Errors ?? []).toEqual([]);
    }
    expect(await listKeys(s3.client, 'keys')).toEqual([]);
    // Folders left empty go with their last object.
    expect(await readdir(join(dataDir, 's3', 'keys'))).toEqual([]);
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'keys', Key: '..' }));
  }, 60_000);
});
