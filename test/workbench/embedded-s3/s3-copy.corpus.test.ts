import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { corpus } from '../../support/paths.ts';
import { readObject } from '../../support/s3-read.ts';

/** How the AWS CLI and boto3 write a copy source's key: Python's quote(key, safe='/~'), every other byte %XX. */
const quoteAsBotocore = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/').replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

describe('CopyObject with x-amz-copy-source URL-encoded once, as the SDKs and the CLI send it', () => {
  let dir: string;
  let s3: EmbeddedS3;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-copy-'));
    s3 = await startEmbeddedS3({ dataDir: join(dir, 'data'), buckets: ['uploads', 'media'] });
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const put = (Key: string, Body: string | Buffer = Key, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) => s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key, Body, ...extra }));
  const copy = (CopySource: string, Key: string, extra: Partial<ConstructorParameters<typeof CopyObjectCommand>[0]> = {}) => s3.client.send(new CopyObjectCommand({ Bucket: 'media', Key, CopySource, ...extra }));

  it('copies sources whose keys hold + & # = ? % and spaces (s3rver answered NoSuchKey, and InvalidURI for %)', async () => {
    for (const [i, key] of ['images/a+b.png', 'images/a&b.png', 'images/a#b.png', 'images/a=b.png', 'images/a?b.png', 'images/100%.png', 'images/a b.png', 'images/a%2Bb.png', 'images/?versionId=x'].entries()) {
      await put(key);
      const result = await copy(`uploads/${quoteAsBotocore(key)}`, `copied/${i}.png`);
      expect(result.CopyObjectResult?.ETag, key).toEqual(expect.stringMatching(/^"[0-9a-f]{32}"$/));
      expect((await readObject(s3.client, 'media', `copied/${i}.png`)).body.toString(), key).toBe(key);
    }
  });

  it('copies every naughty string as a key, encoded as botocore or as encodeURIComponent encodes it', async () => {
    const naughty: string[] = JSON.parse(await readFile(corpus('big-list-of-naughty-strings', 'blns.json'), 'utf8'));
    const keys = naughty.filter((text) => text && !text.includes('\0') && Buffer.byteLength(text) < 1000).map((text) => `naughty/${text}`);
    const queue = [...keys.entries()];
    const copied: [string, string][] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [i, key] = next;
          await put(key);
          const source = i % 2 ? `/uploads/${encodeURIComponent(key)}` : `uploads/${quoteAsBotocore(key)}`;
          await copy(source, `naughty-copies/${i}`);
          copied.push([key, (await readObject(s3.client, 'media', `naughty-copies/${i}`)).body.toString()]);
        }
      }),
    );
    expect(copied.filter(([key, body]) => key !== body)).toEqual([]);
    expect(copied).toHaveLength(keys.length);
  });

  it('decodes the source once, and a raw + as a plus', async () => {
    await put('plus+sign', 'plus');
    await put('plus sign', 'space');
    await put('pct%2Bx', 'literal');
    await put('pct+x', 'decoded twice');
    await copy('uploads/plus+sign', 'one');
    await copy('uploads/plus%20sign', 'two');
    await copy(`uploads/${quoteAsBotocore('pct%2Bx')}`, 'three');
    expect(await Promise.all(['one', 'two', 'three'].map(async (key) => (await readObject(s3.client, 'media', key)).body.toString()))).toEqual(['plus', 'space', 'literal']);
  });

  it('keeps the source metadata and tags (COPY) or takes the request\'s (REPLACE)', async () => {
    const key = 'meta//da ta/../x.json';
    await put(key, '{}', { ContentType: 'application/json', Metadata: { origin: 'camera' }, CacheControl: 'max-age=60' });
    await s3.client.send(new PutObjectTaggingCommand({ Bucket: 'uploads', Key: key, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }));
    await copy(`uploads/${quoteAsBotocore(key)}`, key);
    const copied = await s3.client.send(new HeadObjectCommand({ Bucket: 'media', Key: key }));
    expect([copied.ContentType, copied.Metadata, copied.CacheControl]).toEqual(['application/json', { origin: 'camera' }, 'max-age=60']);
    expect((await s3.client.send(new GetObjectTaggingCommand({ Bucket: 'media', Key: key }))).TagSet).toEqual([{ Key: 'team', Value: 'data' }]);
    await copy(`uploads/${quoteAsBotocore(key)}`, 'replaced.txt', { MetadataDirective: 'REPLACE', ContentType: 'text/plain', Metadata: { origin: 'copy' } });
    const replaced = await s3.client.send(new HeadObjectCommand({ Bucket: 'media', Key: 'replaced.txt' }));
    expect([replaced.ContentType, replaced.Metadata, replaced.CacheControl]).toEqual(['text/plain', { origin: 'copy' }, undefined]);
  });

  it('answers as S3 for what it refuses: a missing source, a copy onto itself, a failed condition, a version that is not there', async () => {
    await put('here.txt', 'here');
    const failures = await Promise.all([
      copy('uploads/not-here.txt', 'x'),
      copy('nobucket/here.txt', 'x'),
      s3.client.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'here.txt', CopySource: 'uploads/here.txt' })),
      copy('uploads/here.txt', 'x', { CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' }),
      copy('uploads/here.txt?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY', 'x'),
    ].map((sent) => sent.then(() => undefined, (error: { name: string; $metadata: { httpStatusCode?: number } }) => [error.name, error.$metadata.httpStatusCode])));
    expect(failures).toEqual([
      ['NoSuchKey', 404],
      ['NoSuchBucket', 404],
      ['InvalidRequest', 400],
      ['PreconditionFailed', 412],
      ['InvalidArgument', 400],
    ]);
    await copy('uploads/here.txt?versionId=null', 'null-version.txt');
    await s3.client.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'here.txt', CopySource: 'uploads/here.txt', MetadataDirective: 'REPLACE', ContentType: 'text/plain' }));
    expect((await readObject(s3.client, 'uploads', 'here.txt')).contentType).toBe('text/plain');
  });
});
