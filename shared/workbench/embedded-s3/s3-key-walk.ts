import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { locateKey, readEntryName } from './s3-key-paths.ts';

const startsWith = (bytes: Buffer, prefix: Buffer) => bytes.length >= prefix.length && bytes.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/** Something in a folder: a key (its bytes), or a folder every key under which starts with `bound`. */
interface Child {
  bound: Buffer;
  folder?: string;
}

/** A folder's children sorted by bound, and how far they have been taken. */
interface Cursor {
  children: Child[];
  at: number;
}

const before = (a: Cursor, b: Cursor) => a.children[a.at]!.bound.compare(b.children[b.at]!.bound) < 0;

/** A binary min-heap of cursors, by the bound of each one's next child. */
class CursorHeap {
  private readonly items: Cursor[] = [];

  get size(): number {
    return this.items.length;
  }

  push(cursor: Cursor): void {
    const items = this.items;
    items.push(cursor);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  /** The least next child; its cursor moves on. */
  take(): Child {
    const items = this.items;
    const top = items[0]!;
    const child = top.children[top.at++]!;
    if (top.at === top.children.length) {
      const last = items.pop()!;
      if (!items.length) return child;
      items[0] = last;
    }
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < items.length && before(items[left]!, items[least]!)) least = left;
      if (right < items.length && before(items[right]!, items[least]!)) least = right;
      if (least === i) return child;
      [items[i], items[least]] = [items[least]!, items[i]!];
      i = least;
    }
  }
}

/**
 * The keys of a bucket, from its folders, in S3's order (the UTF-8 bytes of the keys, compared
 * byte by byte), whatever order the names sort in on disk: each folder's names are read back as the
 * key bytes they stand for (see s3-key-paths.ts) and sorted by those, and the folders are merged
 * as they are reached, each read only when the listing gets to it. Folders that can hold no key of
 * the listing (outside the prefix, all before `after`, under a prefix that was `skip`ped) are
 * never read.
 */
export class KeyWalk {
  private readonly heap = new CursorHeap();
  private readonly bucketFolder: string;
  private readonly prefix: Buffer;
  private readonly after: Buffer | undefined;
  private skipped: Buffer | undefined;
  private started = false;

  /** Keys starting with `prefix` and, when given, after `after` (byte order). */
  constructor(bucketFolder: string, prefix: Buffer, after: Buffer | undefined) {
    this.bucketFolder = bucketFolder;
    this.prefix = prefix;
    this.after = after;
  }

  /** From here on, no key that starts with `prefix` (a common prefix just reported). */
  skip(prefix: Buffer): void {
    this.skipped = prefix;
  }

  /** The next key's UTF-8 bytes, or undefined at the end. */
  async next(): Promise<Buffer | undefined> {
    if (!this.started) {
      this.started = true;
      // Start in the deepest folder the prefix names whole: `images/2026/` for `images/2026/05-`.
      const whole = this.prefix.subarray(0, this.prefix.lastIndexOf(0x2f) + 1);
      await this.open(join(this.bucketFolder, ...locateKey(whole.toString('utf8')).folders), whole);
    }
    while (this.heap.size) {
      const child = this.heap.take();
      if (this.skipped && startsWith(child.bound, this.skipped)) continue;
      if (child.folder === undefined) return child.bound;
      await this.open(child.folder, child.bound);
    }
    return undefined;
  }

  private admits(bound: Buffer, isKey: boolean): boolean {
    const { prefix, after } = this;
    if (isKey) return startsWith(bound, prefix) && (!after || bound.compare(after) > 0);
    if (!startsWith(bound, prefix) && !startsWith(prefix, bound)) return false;
    // Every key under the folder starts with `bound`: all of them are before `after` when `bound` is and does not lead to it.
    return !after || bound.compare(after) >= 0 || startsWith(after, bound);
  }

  private async open(folder: string, bytes: Buffer): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return; // removed meanwhile, or never there
      throw error;
    }
    const children: Child[] = [];
    for (const entry of entries) {
      const isFolder = entry.isDirectory();
      const read = readEntryName(entry.name, isFolder);
      if (!read) continue;
      const bound = Buffer.concat([bytes, read.bytes]);
      if (!this.admits(bound, read.kind === 'object')) continue;
      children.push(read.kind === 'folder' ? { bound, folder: join(folder, entry.name) } : { bound });
    }
    if (!children.length) return;
    children.sort((a, b) => a.bound.compare(b.bound));
    this.heap.push({ children, at: 0 });
  }
}
