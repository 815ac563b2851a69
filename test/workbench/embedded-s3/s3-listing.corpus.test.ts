import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIECE_CHARS } from '../../../shared/workbench/embedded-s3/s3-key-paths.ts';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { runSluice } from '../../support/cli.ts';
import { corpus } from '../../support/paths.ts';

/** S3's order: the keys' UTF-8 bytes, compared byte by byte (not JavaScript's UTF-16 order). */
const s3Order = (keys: Iterable<string>) => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

async function putAll(s3: EmbeddedS3, bucket: string, keys: string[]): Promise<void> {
  const queue = [...keys];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }),
  );
}

describe('ListObjects and ListObjectsV2 on the embedded S3 server, as S3 answers them', () => {
  let dir: string;
  let s3: EmbeddedS3;
  let naughtyKeys: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-listing-'));
    s3 = await startEmbeddedS3({ dataDir: join(dir, 'data'), buckets: ['many', 'tree', 'order', 'folders'] });
    const naughty: string[] = JSON.parse(await readFile(corpus('big-list-of-naughty-strings', 'blns.json'), 'utf8'));
    const keys = new Set<string>();
    for (const text of naughty.filter((text) => text && !text.includes('\0') && Buffer.byteLength(text) <= 1000)) keys.add(text).add(`naughty/${text}`);
    for (let i = 0; keys.size < 1200; i++) keys.add(`bulk/${String(i).padStart(4, '0')}.csv`);
    naughtyKeys = [...keys];
    await putAll(s3, 'many', naughtyKeys);
    await putAll(s3, 'tree', ['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla']);
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Every key of a V2 listing, page by page, read back from `encoding-type=url` (as the AWS CLI asks). */
  async function listAll(input: ListObjectsV2CommandInput, pageSize?: number): Promise<{ keys: string[]; pages: number }> {
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3.client, ...(pageSize ? { pageSize } : {}) }, { ...input, EncodingType: 'url' })) {
      pages++;
      expect(page.EncodingType).toBe('url');
      expect(page.KeyCount).toBe((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0));
      keys.push(...(page.Contents ?? []).map((object) => decodeURIComponent(object.Key!)));
    }
    return { keys, pages };
  }

  it('pages through 1,200 keys with continuation tokens (s3rver answered 500): each key once, in UTF-8 byte order', async () => {
    const first = await s3.client.send(new ListObjectsV2Command({ Bucket: 'many' }));
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 1000, MaxKeys: 1000 });
    expect(first.NextContinuationToken).toEqual(expect.any(String));
    const second = await s3.client.send(new ListObjectsV2Command({ Bucket: 'many', ContinuationToken: first.NextContinuationToken }));
    expect(second).toMatchObject({ IsTruncated: false, KeyCount: 200, ContinuationToken: first.NextContinuationToken });
    expect(second.NextContinuationToken).toBeUndefined();

    const whole = await listAll({ Bucket: 'many' });
    expect(whole.pages).toBe(2);
    expect(whole.keys).toEqual(s3Order(naughtyKeys));
    const small = await listAll({ Bucket: 'many', Prefix: 'naughty/' }, 5);
    expect(small.keys).toEqual(s3Order(naughtyKeys.filter((key) => key.startsWith('naughty/'))));
    expect(small.pages).toBe(Math.ceil(small.keys.length / 5));
  });

  it('pages with markers (ListObjects v1): NextMarker only with a delimiter, the last key otherwise', async () => {
    const expected = s3Order(naughtyKeys.filter((key) => key.startsWith('bulk/')));
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await s3.client.send(new ListObjectsCommand({ Bucket: 'many', Prefix: 'bulk/', MaxKeys: 250, ...(marker ? { Marker: marker } : {}) }));
      expect(page.Marker ?? '').toBe(marker ?? '');
      expect(page.NextMarker).toBeUndefined();
      expect(page.Contents![0]!.Owner).toBeDefined();
      seen.push(...page.Contents!.map((object) => object.Key!));
      if (!page.IsTruncated) break;
      marker = seen[seen.length - 1];
    }
    expect(seen).toEqual(expected);
  });

  it('rolls keys up into common prefixes, counted with the keys against max-keys, never listed twice across pages', async () => {
    const v1 = async (Prefix: string, Marker: string, MaxKeys: number) => {
      const page = await s3.client.send(new ListObjectsCommand({ Bucket: 'tree', Delimiter: '/', Prefix, Marker, MaxKeys }));
      return [page.IsTruncated, (page.Contents ?? []).map((o) => o.Key), (page.CommonPrefixes ?? []).map((p) => p.Prefix), page.NextMarker];
    };
    // The cases of the Ceph s3-tests (test_bucket_list_delimiter_prefix), checked there against AWS.
    expect(await v1('', '', 1)).toEqual([true, ['asdf'], [], 'asdf']);
    expect(await v1('', 'asdf', 1)).toEqual([true, [], ['boo/'], 'boo/']);
    expect(await v1('', 'boo/', 1)).toEqual([false, [], ['cquux/'], undefined]);
    expect(await v1('', '', 2)).toEqual([true, ['asdf'], ['boo/'], 'boo/']);
    expect(await v1('', 'boo/', 2)).toEqual([false, [], ['cquux/'], undefined]);
    expect(await v1('boo/', '', 1)).toEqual([true, ['boo/bar'], [], 'boo/bar']);
    expect(await v1('boo/', 'boo/bar', 1)).toEqual([false, [], ['boo/baz/'], undefined]);
    expect(await v1('boo/', '', 2)).toEqual([false, ['boo/bar'], ['boo/baz/'], undefined]);

    const pages: unknown[] = [];
    for await (const page of paginateListObjectsV2({ client: s3.client, pageSize: 1 }, { Bucket: 'tree', Delimiter: '/' })) {
      pages.push([page.KeyCount, (page.Contents ?? []).map((o) => o.Key), (page.CommonPrefixes ?? []).map((p) => p.Prefix), page.Delimiter]);
    }
    expect(pages).toEqual([
      [1, ['asdf'], [], '/'],
      [1, [], ['boo/'], '/'],
      [1, [], ['cquux/'], '/'],
    ]);
    const other = await s3.client.send(new ListObjectsV2Command({ Bucket: 'tree', Delimiter: 'a' }));
    expect(other.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a', 'boo/ba', 'cquux/bla']);
    expect(other.Contents?.map((o) => o.Key)).toEqual(['cquux/thud']);
  });

  it('starts after StartAfter, keeps it beside a continuation token, and refuses a token it did not issue', async () => {
    const after = await s3.client.send(new ListObjectsV2Command({ Bucket: 'tree', StartAfter: 'boo/bar', MaxKeys: 1 }));
    expect(after).toMatchObject({ StartAfter: 'boo/bar', KeyCount: 1, IsTruncated: true, Contents: [expect.objectContaining({ Key: 'boo/baz/xyzzy' })] });
    const next = await s3.client.send(new ListObjectsV2Command({ Bucket: 'tree', StartAfter: 'boo/bar', ContinuationToken: after.NextContinuationToken }));
    expect(next.StartAfter).toBe('boo/bar');
    expect(next.Contents?.map((o) => o.Key)).toEqual(['cquux/bla', 'cquux/thud']);
    expect((await s3.client.send(new ListObjectsV2Command({ Bucket: 'tree', StartAfter: 'zzz' }))).KeyCount).toBe(0);
    expect(await s3.client.send(new ListObjectsV2Command({ Bucket: 'tree', MaxKeys: 0 }))).toMatchObject({ KeyCount: 0, IsTruncated: false });
    const forged = await s3.client.send(new ListObjectsV2Command({ Bucket: 'tree', ContinuationToken: Buffer.from('not a token').toString('base64') })).catch((error: unknown) => error);
    expect(forged).toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    const elsewhere = await s3.client.send(new ListObjectsV2Command({ Bucket: 'many', ContinuationToken: after.NextContinuationToken })).catch((error: unknown) => error);
    expect(elsewhere).toMatchObject({ name: 'InvalidArgument' });
  });

  it('orders by UTF-8 bytes where file names and UTF-16 order otherwise, one key a page', async () => {
    // Around the length where a segment's name is cut in pieces (folders), too.
    const x = (n: number) => 'x'.repeat(n);
    const keys = ['a', 'a-c', 'a/b', 'a/', 'a//', 'a/./b', 'a/../b', 'a0', 'A', 'B/x', 'é', 'e\u0301', '\uFFFD', '😀', 'ｚ', '~', ' lead', x(300), `${x(PIECE_CHARS)}y`, `${x(PIECE_CHARS)}/`, x(PIECE_CHARS), `${x(PIECE_CHARS + 1)}.`, `${x(PIECE_CHARS - 1)}.`, `${x(PIECE_CHARS - 1)}/`];
    await putAll(s3, 'order', keys);
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3.client, pageSize: 1 }, { Bucket: 'order' })) seen.push(...(page.Contents ?? []).map((o) => o.Key!));
    expect(seen).toEqual(s3Order(keys));
    expect(seen.indexOf('a-c')).toBeLessThan(seen.indexOf('a/b')); // '-' is 0x2d, '/' 0x2f
    expect(seen.indexOf('\uFFFD')).toBeLessThan(seen.indexOf('😀')); // EF BF BD before F0 9F 98 80; UTF-16 says otherwise
    const underX = await s3.client.send(new ListObjectsV2Command({ Bucket: 'order', Prefix: x(PIECE_CHARS), Delimiter: '/' }));
    expect(underX.CommonPrefixes?.map((p) => p.Prefix)).toEqual([`${x(PIECE_CHARS)}/`]);
    expect(underX.Contents?.map((o) => o.Key)).toEqual(s3Order([x(PIECE_CHARS), `${x(PIECE_CHARS + 1)}.`, x(300), `${x(PIECE_CHARS)}y`]));
  });

  it('lists a folder marker as a key under its prefix and as a common prefix above it', async () => {
    await putAll(s3, 'folders', ['images/', 'images/a.jpg', 'images/sub/', 'images/sub/b.jpg', 'top.txt']);
    const root = await s3.client.send(new ListObjectsV2Command({ Bucket: 'folders', Delimiter: '/' }));
    expect([root.Contents?.map((o) => o.Key), root.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([['top.txt'], ['images/']]);
    const images = await s3.client.send(new ListObjectsV2Command({ Bucket: 'folders', Delimiter: '/', Prefix: 'images/' }));
    expect([images.Contents?.map((o) => o.Key), images.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([['images/', 'images/a.jpg'], ['images/sub/']]);
    expect((await s3.client.send(new ListObjectsV2Command({ Bucket: 'folders', Prefix: 'images/sub/' }))).Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ['images/sub/', 11],
      ['images/sub/b.jpg', 16],
    ]);
  });

  it('sluice ls prints every key of a bucket longer than a page, in order (it printed a stack trace)', async () => {
    const result = await runSluice(['ls', 'many/bulk/', '--data', join(dir, 'data')], dir);
    expect(result.stderr).toBe('');
    const listed = result.stdout.trim().split('\n').map((line) => line.split('  ').pop());
    expect(listed).toEqual(s3Order(naughtyKeys.filter((key) => key.startsWith('bulk/'))));
  });
});
