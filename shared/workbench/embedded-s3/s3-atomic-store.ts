import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Where the embedded S3 store writes a file before it renames it into place, as S3's writes are
 * atomic: a reader sees the old version of an object or the new one, never half of one. Files are
 * written in a folder of their own beside the store (the same file system, so a rename is atomic),
 * under short names: a long key's file name has no room for a temporary suffix. What a killed
 * process was writing stays there, unread, and is removed at a start an hour later.
 */
export class WritingFolder {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  static async beside(directory: string): Promise<WritingFolder> {
    const path = join(dirname(directory), `${basename(directory)}-writing`);
    await mkdir(path, { recursive: true });
    for (const name of await readdir(path)) {
      const file = join(path, name);
      const info = await stat(file).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > STALE_AFTER_MS) await rm(file, { force: true });
    }
    return new WritingFolder(path);
  }

  /** A new file name in the folder. */
  temporary(): string {
    return join(this.path, randomBytes(8).toString('hex'));
  }

  /** Replaces (or creates) `path` with `data`, atomically. */
  async replace(path: string, data: string | Buffer): Promise<void> {
    const temporary = this.temporary();
    await writeFile(temporary, data);
    await moveInto(temporary, path);
  }

  /**
   * Writes `content` to a new temporary file, with its size and MD5; the caller renames it into
   * place (`moveInto`) or removes it. On a failure the file is removed.
   */
  async write(content: Buffer | Readable): Promise<{ file: string; size: number; md5: Buffer }> {
    const file = this.temporary();
    const md5 = createHash('md5');
    let size = 0;
    try {
      if (Buffer.isBuffer(content)) {
        await writeFile(file, content);
        md5.update(content);
        size = content.length;
      } else {
        const count = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            md5.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        await pipeline(content, count, createWriteStream(file));
      }
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
    return { file, size, md5: md5.digest() };
  }
}

/**
 * Renames `from` to `path`, making `path`'s folders first. A deletion emptying and removing one of
 * those folders at the same moment makes the rename fail with ENOENT: the folders are made again.
 */
export async function moveInto(from: string, path: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(dirname(path), { recursive: true });
    try {
      await rename(from, path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 5) throw error;
    }
  }
}
