import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rm, rmdir, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { S3ApiError } from './s3-api-error.ts';
import { WritingFolder, moveInto } from './s3-atomic-store.ts';
import { KeyWalk } from './s3-key-walk.ts';
import { CONTENT_RESOURCE, RESOURCE_MARK, locateKey } from './s3-key-paths.ts';
import { migrateS3rverLayout } from './s3-layout-migration.ts';

/** The headers S3 keeps with an object and gives back on reads, besides `x-amz-meta-*`. */
export const KEPT_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'content-type', 'expires', 'x-amz-website-redirect-location'];

/** An object's tags (PutObjectTagging), beside its content: `<name>@tagging.xml`. */
export const TAGGING_RESOURCE = 'tagging.xml';
/** An object's eTag and metadata, for the content file of one inode: `<name>@meta-<inode>.json`. */
const sidecarResource = (inode: bigint) => `meta-${inode}.json`;
/** What an object's sidecar holds. */
interface Sidecar {
  eTag: string;
  metadata: Record<string, string>;
}
/** In-progress multipart uploads, in each bucket's folder (a name no key has). */
export const UPLOADS_FOLDER = `${RESOURCE_MARK}uploads`;

export interface ObjectInfo {
  size: number;
  /** Without quotes: an MD5 in hex, or `<md5 of the parts' MD5s>-<parts>` for a multipart upload, as S3's. */
  eTag: string;
  lastModified: Date;
  /** Lower-case header names: `content-type`, `x-amz-meta-*`, ... */
  metadata: Record<string, string>;
}

/** An object opened for reading: what it is, and its content (a range of it), from the same open file. */
export interface OpenObject {
  info: ObjectInfo;
  /** Reads the bytes `start` to `end` (inclusive), or all; closes the file when done. */
  read(range?: { start: number; end: number }): Readable;
  /** Closes the file without reading. */
  close(): Promise<void>;
}

/** The metadata S3 keeps of a request's headers. */
export function keptMetadata(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (KEPT_HEADERS.includes(lower) || lower.startsWith('x-amz-meta-')) kept[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  return kept;
}

const ignoreMissing = (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
};

/**
 * A key the file system cannot hold although S3 can: the whole path is longer than the system
 * allows (4,096 bytes on Linux, 1,024 on macOS), with the data folder's own path.
 */
function tooLongForFileSystem(error: unknown, key: string): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') return error;
  return new S3ApiError('KeyTooLongError', 400, `the key's file path in the local store is longer than this file system allows (the key is ${Buffer.byteLength(key)} bytes, and the data folder's path counts too): use a shorter --data path`, { Key: key });
}

async function md5Of(handle: FileHandle): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of handle.createReadStream({ start: 0, autoClose: false }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** How often a read tries again when the object was replaced between opening its content and reading its sidecar. */
const READ_ATTEMPTS = 5;

/**
 * The embedded S3 server's objects, as files under `<data>/s3/<bucket>/`, named by the reversible
 * encoding of s3-key-paths.ts: any key S3 accepts has files of its own, inside its bucket's folder.
 *
 * Writes are atomic, as S3's, with one commit point: the content is written beside the store (see
 * s3-atomic-store.ts), its eTag and metadata are written next to where it goes, in a sidecar named
 * after the new file's inode (`<name>@meta-<inode>.json`), and only then is the content renamed
 * into place. A reader opens the content and reads the sidecar of that file's inode, so it always
 * gets a version's content with that version's eTag and metadata; a process killed at any point
 * leaves the old version or the new one whole. (The store kept content, eTag and metadata as three
 * files replaced one after the other before: a write killed between them left content without its
 * metadata, and a restart delivered that half-written version.)
 */
export class S3FileStore {
  readonly directory: string;
  readonly writing: WritingFolder;

  private constructor(directory: string, writing: WritingFolder) {
    this.directory = directory;
    this.writing = writing;
  }

  /** Opens the store in `directory`, moving objects an earlier version kept in s3rver's layout into this one. */
  static async open(directory: string): Promise<S3FileStore> {
    await mkdir(directory, { recursive: true });
    const store = new S3FileStore(directory, await WritingFolder.beside(directory));
    await migrateS3rverLayout(directory, store);
    return store;
  }

  bucketFolder(bucket: string): string {
    return join(this.directory, bucket);
  }

  /** The file of a key's `resource` (`object`, `tagging.xml`, ...); with no key, a file of the bucket's own (`@cors.xml`). */
  resourcePath(bucket: string, key: string | undefined, resource: string): string {
    if (!key) return join(this.bucketFolder(bucket), `${RESOURCE_MARK}${resource}`);
    const { folders, name } = locateKey(key);
    return join(this.bucketFolder(bucket), ...folders, `${name}${RESOURCE_MARK}${resource}`);
  }

  async bucketCreated(bucket: string): Promise<Date | undefined> {
    const info = await stat(this.bucketFolder(bucket)).catch(() => undefined);
    return info?.isDirectory() ? info.birthtime : undefined;
  }

  async createBucket(bucket: string): Promise<void> {
    await mkdir(this.bucketFolder(bucket), { recursive: true });
  }

  async deleteBucket(bucket: string): Promise<void> {
    await rm(this.bucketFolder(bucket), { recursive: true, force: true });
  }

  async listBuckets(): Promise<{ name: string; created: Date }[]> {
    const buckets: { name: string; created: Date }[] = [];
    for (const entry of await readdir(this.directory, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const created = await this.bucketCreated(entry.name);
      if (created) buckets.push({ name: entry.name, created });
    }
    return buckets.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async open(bucket: string, key: string): Promise<OpenObject | undefined> {
    const path = this.resourcePath(bucket, key, CONTENT_RESOURCE);
    for (let attempt = 1; ; attempt++) {
      let handle: FileHandle;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
        throw tooLongForFileSystem(error, key);
      }
      try {
        const info = await handle.stat({ bigint: true });
        const text = await readFile(this.resourcePath(bucket, key, sidecarResource(info.ino)), 'utf8').catch((error: unknown) => {
          ignoreMissing(error);
          return undefined;
        });
        // Replaced since it was opened (its sidecar went with it): read the new version.
        if (text === undefined && attempt < READ_ATTEMPTS) {
          await handle.close();
          continue;
        }
        // A content file without any sidecar was not written by the store: its MD5, and no metadata.
        const sidecar: Sidecar = text === undefined ? { eTag: await md5Of(handle), metadata: {} } : (JSON.parse(text) as Sidecar);
        return {
          info: { size: Number(info.size), eTag: sidecar.eTag, lastModified: new Date(Number(info.mtimeMs)), metadata: sidecar.metadata },
          read: (range) => handle.createReadStream({ autoClose: true, ...(range ?? {}) }),
          close: () => handle.close(),
        };
      } catch (error) {
        await handle.close();
        throw error;
      }
    }
  }

  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const object = await this.open(bucket, key);
    if (!object) return undefined;
    await object.close();
    return object.info;
  }

  /**
   * Writes an object (atomically); `md5` (hex) is the digest the client sent, checked before
   * anything replaces the old version; `eTag` overrides the MD5 (a multipart upload's).
   */
  async put(bucket: string, key: string, content: Buffer | Readable, metadata: Record<string, string>, options: { md5?: string; eTag?: string } = {}): Promise<{ size: number; eTag: string }> {
    const written = await this.writing.write(content);
    const md5 = written.md5.toString('hex');
    const eTag = options.eTag ?? md5;
    try {
      if (options.md5 !== undefined && options.md5 !== md5) throw new S3ApiError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: Buffer.from(options.md5, 'hex').toString('base64'), CalculatedDigest: written.md5.toString('base64') });
      await this.commit(bucket, key, written.file, { eTag, metadata });
    } catch (error) {
      await rm(written.file, { force: true });
      throw tooLongForFileSystem(error, key);
    }
    return { size: written.size, eTag };
  }

  /**
   * Makes `file` (written beside the store, or a content file being moved in) the content of a key,
   * with `sidecar`: the sidecar first, under the file's inode (a rename keeps it), then the rename,
   * the commit. The old version's tags go (a new object has none); its sidecar after the commit.
   */
  async commit(bucket: string, key: string, file: string, sidecar: Sidecar): Promise<void> {
    const content = this.resourcePath(bucket, key, CONTENT_RESOURCE);
    const { ino } = await stat(file, { bigint: true });
    const previous = await stat(content, { bigint: true }).catch(() => undefined);
    const sidecarPath = this.resourcePath(bucket, key, sidecarResource(ino));
    await this.writing.replace(sidecarPath, JSON.stringify(sidecar));
    try {
      await rm(this.resourcePath(bucket, key, TAGGING_RESOURCE), { force: true });
      await moveInto(file, content);
    } catch (error) {
      await rm(sidecarPath, { force: true });
      throw error;
    }
    if (previous && previous.ino !== ino) await rm(this.resourcePath(bucket, key, sidecarResource(previous.ino)), { force: true });
  }

  /** Removes an object; whether there was one. Folders it leaves empty are removed, up to the bucket's. */
  async delete(bucket: string, key: string): Promise<boolean> {
    const content = this.resourcePath(bucket, key, CONTENT_RESOURCE);
    let info;
    try {
      info = await stat(content, { bigint: true });
      await unlink(content);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw tooLongForFileSystem(error, key);
      info = undefined;
    }
    await rm(this.resourcePath(bucket, key, TAGGING_RESOURCE), { force: true });
    if (info) await rm(this.resourcePath(bucket, key, sidecarResource(info.ino)), { force: true });
    await this.removeEmptyFolders(bucket, dirname(content));
    return info !== undefined;
  }

  private async removeEmptyFolders(bucket: string, from: string): Promise<void> {
    const top = this.bucketFolder(bucket);
    for (let folder = from; relative(top, folder) && !relative(top, folder).startsWith('..'); folder = dirname(folder)) {
      try {
        await rmdir(folder);
      } catch {
        return; // not empty (or gone already)
      }
    }
  }

  /** Keys under `prefix` after `after`, in S3's order (see KeyWalk). */
  walk(bucket: string, prefix: string, after?: Buffer): KeyWalk {
    return new KeyWalk(this.bucketFolder(bucket), Buffer.from(prefix, 'utf8'), after);
  }

  async readResource(bucket: string, key: string | undefined, resource: string): Promise<string | undefined> {
    return readFile(this.resourcePath(bucket, key, resource), 'utf8').catch((error: unknown) => {
      ignoreMissing(error);
      return undefined;
    });
  }

  async writeResource(bucket: string, key: string | undefined, resource: string, data: string): Promise<void> {
    await this.writing.replace(this.resourcePath(bucket, key, resource), data);
  }

  async deleteResource(bucket: string, key: string | undefined, resource: string): Promise<void> {
    await rm(this.resourcePath(bucket, key, resource), { force: true });
  }

  /** The folder of a multipart upload. */
  uploadFolder(bucket: string, uploadId: string): string {
    return join(this.bucketFolder(bucket), UPLOADS_FOLDER, uploadId);
  }
}

