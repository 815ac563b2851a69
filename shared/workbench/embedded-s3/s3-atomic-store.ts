import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FilesystemStore, StoredObject } from 's3rver';

// The headers s3rver keeps with an object (its S3Object.ALLOWED_METADATA), besides x-amz-meta-*.
const KEPT_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'content-type', 'expires', 'x-amz-storage-class', 'x-amz-website-redirect-location'];

const STALE_AFTER_MS = 60 * 60 * 1000;

async function writeAtomically(temporary: string, path: string, data: string): Promise<void> {
  await writeFile(temporary, data);
  await rename(temporary, path);
}

async function writeContent(path: string, content: Buffer | Readable): Promise<{ size: number; md5: string }> {
  const md5 = createHash('md5');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  if (Buffer.isBuffer(content)) {
    await writeFile(path, content);
    md5.update(content);
    size = content.length;
  } else {
    await pipeline(content, count, createWriteStream(path));
  }
  return { size, md5: md5.digest('hex') };
}

/**
 * Makes the embedded S3 server's object writes atomic, as S3's are: s3rver writes an object's
 * content in place and then its checksum and metadata, so a process killed mid-write left a
 * truncated object (with the old version's checksum) that readers took for a whole one. Here the
 * content is written beside and renamed over the object, the old checksum is removed first (a
 * missing one is recomputed from the content on read) and the checksum and metadata files are each
 * replaced by a rename: a reader sees the old version or the new one, never half of one.
 */
export async function makeWritesAtomic(store: FilesystemStore, directory: string): Promise<void> {
  // Files are written in a folder of their own beside the store (the same file system, so a rename
  // is atomic), under short names: a long key's file name has no room for a temporary suffix. What
  // a killed process was writing stays there, unread, and is removed at a start an hour later.
  const temporaryDir = join(dirname(directory), `${basename(directory)}-writing`);
  await mkdir(temporaryDir, { recursive: true });
  for (const name of await readdir(temporaryDir)) {
    const path = join(temporaryDir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_AFTER_MS) await rm(path, { force: true });
  }
  const temporaryName = () => join(temporaryDir, randomBytes(8).toString('hex'));
  store.putMetadata = async (bucket, key, metadata, md5) => {
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(metadata)) if (KEPT_HEADERS.includes(name) || name.startsWith('x-amz-meta-')) kept[name] = value;
    if (md5) await writeAtomically(temporaryName(), store.getResourcePath(bucket, key, 'object.md5'), md5);
    await writeAtomically(temporaryName(), store.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(kept, null, 2));
  };
  store.putObject = async (object: StoredObject) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const temporary = temporaryName();
    let written: { size: number; md5: string };
    try {
      written = await writeContent(temporary, object.content);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await rm(store.getResourcePath(object.bucket, object.key, 'object.md5'), { force: true });
    await rename(temporary, objectPath);
    await store.putMetadata(object.bucket, object.key, object.metadata, written.md5);
    return written;
  };
}
