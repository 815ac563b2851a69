import { request } from 'node:http';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../shared/workbench/embedded-s3/s3-server.ts';
import { runSluice } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';
import { listKeys, readObject } from '../support/s3-read.ts';

/** Every file under `dir`, as absolute paths. */
async function allFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => resolve(entry.parentPath, entry.name));
}

/** A raw PUT on the server, path as given (the SDK encodes keys; an attacker need not). */
function rawPut(endpoint: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const url = new URL(endpoint);
    const req = request({ host: url.hostname, port: url.port, method: 'PUT', path, headers: { 'content-length': '5' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end('evil!');
  });
}

// Each climbs far enough to reach the file system's root from any data folder.
const CLIMB = '../'.repeat(30);

describe('object keys that try to leave the data folder', () => {
  let sandbox: string;
  let dataDir: string;
  let s3: EmbeddedS3;
  const marker = `sluice-escape-${process.pid}`;

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'sluice-hostile-'));
    dataDir = join(sandbox, 'data');
    s3 = await startEmbeddedS3({ dataDir, buckets: ['uploads'] });
  });
  afterAll(async () => {
    await s3?.close();
    await rm(sandbox, { recursive: true, force: true });
  });

  const refused: [string, string, RegExp][] = [
    ['a parent segment', `../${marker}.txt`, /InvalidArgument/],
    ['parent segments past the root', `images/${CLIMB}tmp/${marker}.txt`, /InvalidArgument/],
    ['a dot segment', `images/./${marker}.txt`, /InvalidArgument/],
    ['an absolute path', `/tmp/${marker}.txt`, /InvalidArgument/],
    ['a doubled slash', `images//${marker}.txt`, /InvalidArgument/],
    ['a NUL byte', `images/${marker}\0.txt`, /InvalidArgument/],
    ['a key over 1,024 bytes', `images/${'k/'.repeat(600)}${marker}`, /KeyTooLong/],
    ['a segment too long for a file name', `images/${'n'.repeat(250)}.txt`, /KeyTooLong/],
  ];

  it.each(refused)('refuses %s through the S3 client with a 400 and S3 error code', async (_name, key, code) => {
    const error = await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'evil!' })).then(
      () => undefined,
      (failure: { name: string; $metadata?: { httpStatusCode?: number } }) => failure,
    );
    expect(error, key).toBeDefined();
    expect(error!.$metadata?.httpStatusCode).toBe(400);
    expect(error!.name).toMatch(code);
  });

  it.each([
    ['an encoded parent segment', `/uploads/..%2F..%2F${marker}.txt`],
    ['encoded parent segments past the root', `/uploads/${encodeURIComponent(`${CLIMB}tmp/${marker}.txt`)}`],
    ['a parent segment left raw', `/uploads/../../${marker}.txt`],
    ['a parent folder as the bucket', `/../${marker}.txt`],
    ['an encoded parent folder as the bucket', `/..%2F..%2F/${marker}.txt`],
    ['an encoded NUL', `/uploads/${marker}%00.txt`],
    ['broken percent-encoding', `/uploads/${marker}%E0%A4%A.txt`],
  ])('refuses %s in a raw request', async (_name, path) => {
    const response = await rawPut(s3.endpoint, path);
    expect(response.status, response.body).toBe(400);
    expect(response.body).toMatch(/<Code>(InvalidArgument|InvalidBucketName|InvalidURI)<\/Code>/);
  });

  it('stores keys S3 allows that look like paths, under their own names, inside the bucket', async () => {
    const keys = ['..hidden', 'a..b/c..', 'images/.profile', 'images/ spaced / name ', 'images/back\\slash\\..\\..\\x', 'images/new\nline', 'images/%2e%2e%2fencoded', 'folder/'];
    for (const key of keys) await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: key }));
    expect(await listKeys(s3.client, 'uploads')).toEqual([...keys].sort());
    for (const key of keys) expect((await readObject(s3.client, 'uploads', key)).body.toString()).toBe(key);
  });

  it('wrote nothing outside the bucket folder', async () => {
    const bucketDir = join(dataDir, 's3', 'uploads') + sep;
    for (const file of await allFiles(sandbox)) expect(file.startsWith(bucketDir) || file.startsWith(join(dataDir, 's3') + sep), file).toBe(true);
    for (const dir of [tmpdir(), '/tmp', resolve(sandbox, '..')]) expect((await readdir(dir)).filter((name) => name.includes(marker))).toEqual([]);
  });
});

describe('sluice run --put with hostile file names', () => {
  let sandbox: string;

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'sluice-hostile-put-'));
  });
  afterAll(async () => rm(sandbox, { recursive: true, force: true }));

  const run = (cwd: string, ...puts: string[]) => runSluice(['run', '--data', join(cwd, 'data'), '--pipelines', join(repoRoot, 'pipelines'), ...puts.flatMap((put) => ['--put', put])], cwd);

  it('refuses a prefix that climbs out of the bucket, before uploading anything', async () => {
    const cwd = await mkdtemp(join(sandbox, 'prefix-'));
    const file = join(cwd, 'photo.jpg');
    await writeFile(file, 'not really a photo');
    const result = await run(cwd, `uploads/../../..=${file}`);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`sluice: --put: ${file} cannot be uploaded as uploads/../../../photo.jpg: the object key has a ".." path segment, which the local store would resolve outside the key's folder`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await allFiles(cwd)).filter((path) => !path.startsWith(join(cwd, 'data') + sep))).toEqual([file]);
  });

  it('refuses a folder holding a file whose name is too long for the store, and uploads none of it', async () => {
    const cwd = await mkdtemp(join(sandbox, 'long-'));
    const folder = join(cwd, 'images');
    await mkdir(folder);
    await writeFile(join(folder, 'fine.jpg'), 'x');
    await writeFile(join(folder, `${'n'.repeat(240)}.jpg`), 'x');
    const result = await run(cwd, `uploads/images=${folder}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sluice: --put: .*nnnn\.jpg cannot be uploaded as uploads\/images\/n+\.jpg: a segment of the object key is 244 bytes long; the local store keeps segments as file names of at most 200 bytes\n$/);
    const listed = await runSluice(['ls', 'uploads', '--data', join(cwd, 'data')], cwd);
    expect(listed.stdout.trim()).toBe('');
  });

  it('uploads names with spaces, quotes, newlines, dots and non-ASCII letters under exactly those keys', async () => {
    const cwd = await mkdtemp(join(sandbox, 'odd-'));
    const folder = join(cwd, 'orders');
    await mkdir(folder);
    const names = ['..two dots.csv', "quote ' \" and $(rm -rf).csv", 'new\nline.csv', 'zażółć.csv', '%2e%2e%2f.csv'];
    for (const name of names) await writeFile(join(folder, name), 'order_id\n');
    const result = await run(cwd, `uploads/orders=${folder}`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`uploaded ${names.length} object(s)`);
    const s3 = await startEmbeddedS3({ dataDir: join(cwd, 'data') });
    try {
      expect(await listKeys(s3.client, 'uploads')).toEqual(names.map((name) => `orders/${name}`).sort());
    } finally {
      await s3.close();
    }
  });
});
