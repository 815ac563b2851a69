import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A 128-bit digest as four 32-bit words, compared word by word. */
export type Digest = Uint32Array;

const WORDS = 4;
const BYTES = WORDS * 4;
/** Digests a block holds: a lookup reads one block, 4 KB. */
const BLOCK = 256;
const BLOOM_BITS_PER_DIGEST = 10;
const BLOOM_PROBES = 7;

/**
 * Sorted digests written to a temporary file, with what stays in memory to find one: a Bloom filter
 * (10 bits a digest, 7 probes: under 1% of absent digests read the disk) and the first digest of
 * every block of 256. The file is unlinked as soon as it is open, where the system allows it (Linux,
 * macOS; Lambda runs Linux), so even a killed process leaves nothing behind; elsewhere it goes on close.
 */
export class SortedDigestRun {
  private folder: string | undefined;
  private readonly fd: number;
  private readonly length: number;
  private readonly bloom: Uint32Array;
  private readonly bloomBits: number;
  /** The first digest of each block, four words each. */
  private readonly firsts: Uint32Array;
  private readonly block = new Uint32Array(BLOCK * WORDS);
  private readonly blockBytes = new Uint8Array(this.block.buffer);

  private constructor(folder: string | undefined, fd: number, sorted: Uint32Array) {
    this.folder = folder;
    this.fd = fd;
    this.length = sorted.length / WORDS;
    this.bloomBits = Math.max(64, this.length * BLOOM_BITS_PER_DIGEST);
    this.bloom = new Uint32Array(Math.ceil(this.bloomBits / 32));
    const blocks = Math.ceil(this.length / BLOCK);
    this.firsts = new Uint32Array(blocks * WORDS);
    for (let index = 0; index < this.length; index++) {
      const at = index * WORDS;
      this.addToBloom(sorted[at + 1]!, sorted[at + 2]!);
      if (index % BLOCK === 0) this.firsts.set(sorted.subarray(at, at + WORDS), (index / BLOCK) * WORDS);
    }
  }

  /** Writes `sorted` (digests in ascending order, four words each) to a new file under `directory`. */
  static write(sorted: Uint32Array, directory: string): SortedDigestRun {
    const folder = mkdtempSync(join(directory, 'sluice-dedupe-'));
    const fd = openSync(join(folder, 'run'), 'w+');
    try {
      const kept = removed(folder) ? undefined : folder;
      const bytes = new Uint8Array(sorted.buffer, sorted.byteOffset, sorted.byteLength);
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written, written);
      return new SortedDigestRun(kept, fd, sorted);
    } catch (error) {
      closeSync(fd);
      rmSync(folder, { recursive: true, force: true });
      throw new Error(`dedupe: cannot write ${sorted.byteLength} bytes of key digests under ${directory} (${(error as Error).message}); dedupe of a large file needs temporary space, about 16 bytes a distinct key`);
    }
  }

  has(digest: Digest): boolean {
    if (!this.mayHave(digest[1]!, digest[2]!)) return false;
    const block = this.blockFor(digest);
    if (block < 0) return false;
    const start = block * BLOCK;
    const count = Math.min(BLOCK, this.length - start);
    const wanted = count * BYTES;
    for (let read = 0; read < wanted; ) {
      const got = readSync(this.fd, this.blockBytes, read, wanted - read, start * BYTES + read);
      if (got === 0) throw new Error('dedupe run file ended early');
      read += got;
    }
    let low = 0;
    let high = count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareDigests(this.block, middle * WORDS, digest);
      if (order === 0) return true;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  close(): void {
    closeSync(this.fd);
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }

  /** The last block whose first digest is not above `digest`; -1 when the digest is below them all. */
  private blockFor(digest: Digest): number {
    let low = 0;
    let high = this.firsts.length / WORDS - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (compareDigests(this.firsts, middle * WORDS, digest) <= 0) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  /** Double hashing from two of the digest's words (themselves uniform): bit i is h1 + i·h2. */
  private addToBloom(h1: number, h2: number): void {
    for (let probe = 0; probe < BLOOM_PROBES; probe++) {
      const bit = (h1 + probe * h2) % this.bloomBits;
      this.bloom[bit >>> 5] = this.bloom[bit >>> 5]! | (1 << (bit & 31));
    }
  }

  private mayHave(h1: number, h2: number): boolean {
    for (let probe = 0; probe < BLOOM_PROBES; probe++) {
      const bit = (h1 + probe * h2) % this.bloomBits;
      if ((this.bloom[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** Removes a folder whose file is open; false where the system refuses (Windows). */
function removed(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

/** Orders the digest at word `at` of `words` against the one at word `otherAt` of `other`. */
export function compareDigests(words: Uint32Array, at: number, other: Uint32Array, otherAt = 0): number {
  for (let word = 0; word < WORDS; word++) {
    const difference = words[at + word]! - other[otherAt + word]!;
    if (difference !== 0) return difference;
  }
  return 0;
}
