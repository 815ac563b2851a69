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

describe('object keys that look like paths out of the data folder', () => {
  let sandbox: string;
  let dataDir: string;
  let s3: EmbeddedS3;
  const marker = `sluice-escape-${process.pid}`;
  const stored: string[] = [];

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'sluice-hostile-'));
    dataDir = join(sandbox, 'data');
    s3 = await startEmbeddedS3({ dataDir, buckets: ['uploads'] });
  });
  afterAll(async () => {
    await s3?.close();
    await rm(sandbox, { recursive: true, force: true });
  });

  // S3 stores every one of these as the key it is: so does the embedded store, inside the bucket.
  it.each([
    ['a parent segment', `../${marker}.txt`],
    ['parent segments past the root', `images/${CLIMB}tmp/${marker}.txt`],
    ['a dot segment', `images/./${marker}.txt`],
    ['an absolute path', `/tmp/${marker}.txt`],
    ['a doubled slash', `images//${marker}.txt`],
    ['a segment too long for a file name', `images/${'n'.repeat(250)}.txt`],
    ['only dots', '..'],
  ])('stores %s through the S3 client, as that key', async (_name, key) => {
    await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: key }));
    stored.push(key);
    expect((await readObject(s3.client, 'uploads', key)).body.toString()).toBe(key);
  });

  it.each([
    ['a NUL byte', `images/${marker}\0.txt`, /InvalidArgument/],
    ['a key over 1,024 bytes', `images/${'k/'.repeat(600)}${marker}`, /KeyTooLong/],
  ])('refuses %s (as S3 does) through the S3 client with a 400 and S3 error code', async (_name, key, code) => {
    const error = await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: 'evil!' })).then(
      () => undefined,
      (failure: { name: string; $metadata?: { httpStatusCode?: number } }) => failure,
    );
    expect(error, key).toBeDefined();
    expect(error!.$metadata?.httpStatusCode).toBe(400);
    expect(error!.name).toMatch(code);
  });

  it.each([
    ['an encoded parent segment', `/uploads/..%2F..%2F${marker}.txt`, `../../${marker}.txt`],
    ['encoded parent segments past the root', `/uploads/${encodeURIComponent(`${CLIMB}tmp/${marker}.txt`)}`, `${CLIMB}tmp/${marker}.txt`],
    ['a parent segment left raw', `/uploads/../../${marker}.txt`, `../../${marker}.txt`],
  ])('takes %s in a raw request as a key, not a path', async (_name, path, key) => {
    const response = await rawPut(s3.endpoint, path);
    expect(response.status, response.body).toBe(200);
    expect((await readObject(s3.client, 'uploads', key)).body.toString()).toBe('evil!');
    if (!stored.includes(key)) stored.push(key);
  });

  it.each([
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
    stored.push(...keys);
    expect(await listKeys(s3.client, 'uploads')).toEqual([...stored].sort());
    for (const key of keys) expect((await readObject(s3.client, 'uploads', key)).body.toString()).toBe(key);
  });

  it('wrote nothing outside the bucket folder', async () => {
    const store = join(dataDir, 's3') + sep;
    for (const file of await allFiles(sandbox)) expect(file.startsWith(join(store, 'uploads') + sep) || file === join(store, '@layout') || file.startsWith(join(dataDir, 's3-writing') + sep), file).toBe(true);
    for (const dir of [tmpdir(), '/tmp', resolve(sandbox, '..')]) expect((await readdir(dir)).filter((name) => name.includes(marker))).toEqual([]);
  });
});

describe('sluice run --put with hostile file names', () => {
  let sandbox: string;

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'sluice-hostile-put-'));
  });
  afterAll(async () => rm(sandbox, { recursive: true, force: true }));

  // With the salt orders-ingest needs, as a user who set it up has it (without, `run` starts with a warning on stderr).
  const run = (cwd: string, ...puts: string[]) => runSluice(['run', '--data', join(cwd, 'data'), '--pipelines', join(repoRoot, 'pipelines'), ...puts.flatMap((put) => ['--put', put])], cwd, { SLUICE_PII_SALT: 'hostile-keys-test-salt' });

  it('uploads under a prefix with parent segments as S3 would, as that key inside the bucket', async () => {
    const cwd = await mkdtemp(join(sandbox, 'prefix-'));
    const file = join(cwd, 'photo.jpg');
    await writeFile(file, 'not really a photo');
    const result = await run(cwd, `uploads/../../..=${file}`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('uploaded 1 object(s)');
    expect((await allFiles(cwd)).filter((path) => !path.startsWith(join(cwd, 'data') + sep))).toEqual([file]);
    const listed = await runSluice(['ls', 'uploads', '--data', join(cwd, 'data')], cwd);
    expect(listed.stdout).toMatch(/ \.\.\/\.\.\/\.\.\/photo\.jpg\n$/);
  });

  it('refuses a folder holding a file whose key would be longer than S3 allows, and uploads none of it', async () => {
    const cwd = await mkdtemp(join(sandbox, 'long-'));
    const deep = ['d', 'e', 'f', 'g'].map((letter) => letter.repeat(250));
    await mkdir(join(cwd, 'images', ...deep), { recursive: true });
    await writeFile(join(cwd, 'images', 'fine.jpg'), 'x');
    const file = join(cwd, 'images', ...deep, `${'n'.repeat(240)}.jpg`);
    await writeFile(file, 'x');
    const result = await run(cwd, `uploads/images=${join(cwd, 'images')}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`sluice: --put: ${file} cannot be uploaded as uploads/images/${deep.join('/')}/${'n'.repeat(240)}.jpg: the object key is 1255 bytes long; S3 allows at most 1024\n`);
    const listed = await runSluice(['ls', 'uploads', '--data', join(cwd, 'data')], cwd);
    expect(listed.stdout.trim()).toBe('');
  });

  it('uploads names with spaces, quotes, newlines, dots, non-ASCII letters and long names under exactly those keys', async () => {
    const cwd = await mkdtemp(join(sandbox, 'odd-'));
    const folder = join(cwd, 'orders');
    await mkdir(folder);
    const names = ['..two dots.csv', "quote ' \" and $(rm -rf).csv", 'new\nline.csv', 'zażółć.csv', '%2e%2e%2f.csv', `${'n'.repeat(240)}.csv`, 'Upper Case.CSV'];
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
